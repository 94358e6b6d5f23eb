import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import { DomainError, ValidationFailedError } from '../../common/errors/domain-error';
import { type CountryCode, normalizePhone } from '../../common/phone';
import type { BulkRecipientDto } from '../communications/outbound/dto/send-message.dto';
import { CampaignsErrorCode } from './campaigns.errors';
import { csvRecords } from './csv-rows';
import { type AudienceDto, MAX_EXPLICIT_RECIPIENTS } from './dto/campaign.dto';
import { recipientTimezone } from './recipient-timezone';

const INSERT_CHUNK = 1000;
const PREVIEW_ROWS = 5;
const MAX_ROW_ERRORS = 100;

export interface RecipientRow {
  phoneE164: string;
  contactId?: string | null;
  content?: { variables?: string[] | Record<string, string>; content?: Record<string, unknown> } | null;
  timezone: string | null;
}

export interface CsvImport {
  accepted: number;
  duplicates: number;
  invalid: number;
  errors: Array<{ line: number; error: string }>;
  preview: Array<{ line: number; phone: string; variables?: string[] | Record<string, string> }>;
  total: number;
}

/** Turns an audience (contacts, labels, an explicit list, CSV uploads) into campaign_recipient rows, one per phone. */
@Injectable()
export class CampaignAudience {
  /** Explicit entries are checked first (one bad number refuses the whole request, as bulk sends always did). */
  normaliseExplicit(recipients: BulkRecipientDto[], region: CountryCode): RecipientRow[] {
    const seen = new Map<string, RecipientRow>();
    const invalid: Array<{ field: string; message: string }> = [];
    recipients.forEach((r, i) => {
      try {
        const phoneE164 = normalizePhone(r.to, region);
        // Duplicates collapse: one message per (campaign, phone), the first entry wins.
        if (!seen.has(phoneE164)) seen.set(phoneE164, { phoneE164, content: contentOf(r.variables, r.content), timezone: recipientTimezone(phoneE164) });
      } catch {
        invalid.push({ field: `recipients[${i}].to`, message: 'is not a valid phone number' });
      }
    });
    if (invalid.length > 0) throw new ValidationFailedError(`Invalid recipients: ${invalid.length}`, invalid.slice(0, 100));
    return [...seen.values()];
  }

  /** Materialises the whole audience of a draft (replacing any earlier one); returns the recipient count. */
  async materialise(manager: EntityManager, organizationId: string, campaignId: string, audience: AudienceDto, region: CountryCode): Promise<number> {
    await manager.query(`DELETE FROM campaign_recipient WHERE campaign_id = $1`, [campaignId]);
    await this.insert(manager, organizationId, campaignId, this.normaliseExplicit(audience.recipients ?? [], region));
    if (audience.contactIds?.length || audience.labels?.length) {
      const contacts: Array<{ id: string; phone: string; tz: unknown }> = await manager.query(
        `SELECT id, phone_e164 AS phone, custom_attributes->'timezone' AS tz FROM contact
          WHERE organization_id = $1 AND phone_e164 IS NOT NULL AND (id = ANY($2::uuid[]) OR labels && $3::text[])`,
        [organizationId, audience.contactIds ?? [], audience.labels ?? []],
      );
      await this.insert(manager, organizationId, campaignId, contacts.map((c) => ({ phoneE164: c.phone, contactId: c.id, timezone: recipientTimezone(c.phone, c.tz) })));
    }
    return this.count(manager, campaignId);
  }

  /** Streams a CSV into the audience: rows are checked one by one (errors listed), duplicates collapse. */
  async importCsv(manager: EntityManager, organizationId: string, campaignId: string, stream: Readable, region: CountryCode): Promise<CsvImport> {
    const result: CsvImport = { accepted: 0, duplicates: 0, invalid: 0, errors: [], preview: [], total: 0 };
    let chunk: RecipientRow[] = [];
    const flush = async () => {
      const inserted = await this.insert(manager, organizationId, campaignId, chunk);
      result.accepted += inserted;
      result.duplicates += chunk.length - inserted;
      chunk = [];
    };
    for await (const record of csvRecords(stream)) {
      if ('error' in record) {
        this.rowError(result, record.line, record.error);
        if (record.line === 1) break;
        continue;
      }
      let phoneE164: string;
      try {
        phoneE164 = normalizePhone(record.phone, region);
      } catch {
        this.rowError(result, record.line, 'not a valid phone number');
        continue;
      }
      if (result.preview.length < PREVIEW_ROWS) result.preview.push({ line: record.line, phone: phoneE164, variables: record.variables });
      chunk.push({ phoneE164, content: contentOf(record.variables), timezone: recipientTimezone(phoneE164) });
      if (chunk.length >= INSERT_CHUNK) await flush();
      if (result.accepted + chunk.length > MAX_EXPLICIT_RECIPIENTS) {
        throw new DomainError(CampaignsErrorCode.AudienceTooLarge, `An uploaded audience holds at most ${MAX_EXPLICIT_RECIPIENTS} recipients`);
      }
    }
    await flush();
    result.total = await this.count(manager, campaignId);
    return result;
  }

  private rowError(result: CsvImport, line: number, error: string): void {
    result.invalid++;
    if (result.errors.length < MAX_ROW_ERRORS) result.errors.push({ line, error });
  }

  /** ON CONFLICT DO NOTHING on (campaign, phone): returns how many rows were new. */
  private async insert(manager: EntityManager, organizationId: string, campaignId: string, rows: RecipientRow[]): Promise<number> {
    let inserted = 0;
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const part = rows.slice(i, i + INSERT_CHUNK);
      const out: unknown[] = await manager.query(
        `INSERT INTO campaign_recipient (organization_id, campaign_id, phone_e164, contact_id, content, timezone)
         SELECT $1, $2, r.phone, r.contact_id, r.content::jsonb, r.tz FROM unnest($3::varchar[], $4::uuid[], $5::text[], $6::varchar[]) AS r(phone, contact_id, content, tz)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [organizationId, campaignId, part.map((r) => r.phoneE164), part.map((r) => r.contactId ?? null), part.map((r) => (r.content ? JSON.stringify(r.content) : null)), part.map((r) => r.timezone)],
      );
      inserted += out.length;
    }
    return inserted;
  }

  private async count(manager: EntityManager, campaignId: string): Promise<number> {
    const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM campaign_recipient WHERE campaign_id = $1`, [campaignId]);
    return n;
  }
}

function contentOf(variables?: string[] | Record<string, string>, content?: Record<string, unknown>): RecipientRow['content'] {
  return variables !== undefined || content !== undefined ? { variables, content } : null;
}
