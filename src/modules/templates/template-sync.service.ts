import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { IsNull, Not, Repository } from 'typeorm';
import { ROOT_LOGGER } from '../../common/logging/logging.module';
import { MessageTemplate } from '../../database/entities/message-template.entity';
import { WhatsappAccount } from '../../database/entities/whatsapp-account.entity';
import { JobName } from '../../queues/job-names';
import { JobProducer } from '../../queues/job-producer.service';
import { WhatsappAccountsService } from '../whatsapp/accounts/whatsapp-accounts.service';
import type { ProviderTemplate } from '../whatsapp/provider/whatsapp-provider.port';
import { WhatsappProviders } from '../whatsapp/whatsapp-providers.service';
import { writeEvents } from '../../database/outbox';
import { templateStatusEvent } from './template-status-event';
import { asCategory, DRAFT, REMOVED_STATUS } from './templates.service';

export interface TemplateSyncResult {
  created: number;
  updated: number;
  removed: number;
  /** Templates seen on the WABA. */
  total: number;
}

/** Page size for `GET /{waba-id}/message_templates`; exported so tests can seed more than one page. */
export const SYNC_PAGE_SIZE = 100;
const MAX_PAGES = 1000;

/**
 * Pulls every template of an account's WABA and makes the local rows match (Meta is the source of
 * truth for anything it knows):
 * - upsert by (account, name, language): providerTemplateId, status, category, quality,
 *   parameterFormat, components, rejectionReason, lastSyncedAt; a removed row found again is revived;
 * - a row that was on Meta (has a providerTemplateId) but is no longer listed gets `removedAt` and
 *   status `DELETED` (kept, not deleted: messages and reports still name it; list hides it by default);
 * - local DRAFTs never submitted are left alone, and so is a DRAFT that is a local revision of the
 *   same Meta template (same providerTemplateId; an edited REJECTED template awaiting resubmission):
 *   only its lastSyncedAt moves, so a sync never overwrites unsent edits.
 */
@Injectable()
export class TemplateSyncService {
  constructor(
    @InjectRepository(MessageTemplate) private readonly templates: Repository<MessageTemplate>,
    @InjectRepository(WhatsappAccount) private readonly accountRows: Repository<WhatsappAccount>,
    private readonly accounts: WhatsappAccountsService,
    private readonly providers: WhatsappProviders,
    private readonly jobs: JobProducer,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** API entry: the account must belong to the organisation (else 404). */
  async syncForOrganization(organizationId: string, accountId: string): Promise<TemplateSyncResult> {
    await this.accounts.get(organizationId, accountId);
    return this.syncAccount(accountId);
  }

  async syncAccount(accountId: string): Promise<TemplateSyncResult> {
    const accountRow = await this.accounts.getById(accountId);
    const remote = await this.fetchAll(accountId);
    const now = new Date();
    const local = await this.templates.find({ where: { whatsappAccountId: accountId } });
    const byKey = new Map(local.map((row) => [key(row.name, row.language), row]));
    const seen = new Set<string>();
    const result: TemplateSyncResult = { created: 0, updated: 0, removed: 0, total: remote.length };

    for (const template of remote) {
      const fields = fromProvider(template);
      if (!fields) continue;
      const k = key(fields.name, fields.language);
      seen.add(k);
      const row = byKey.get(k);
      if (!row) {
        const inserted = await this.templates
          .createQueryBuilder()
          .insert()
          .into(MessageTemplate)
          .values({ organizationId: accountRow.organizationId, whatsappAccountId: accountId, ...fields, removedAt: null, lastSyncedAt: now })
          .orIgnore()
          .execute();
        if ((inserted.raw as unknown[]).length > 0) result.created += 1;
        continue;
      }
      if (row.status === DRAFT && row.providerTemplateId === fields.providerTemplateId) {
        await this.templates.update({ id: row.id }, { lastSyncedAt: now });
        continue;
      }
      // Meta's list may omit the reason a status webhook gave: keep the one we know.
      if (fields.status === 'REJECTED' && !fields.rejectionReason) fields.rejectionReason = row.rejectionReason;
      const changed = differs(row, fields) || row.removedAt !== null;
      // A status the sync learns (its webhook was missed) is a template.status too, written with the update.
      const statusChanged = row.status !== fields.status || (row.rejectionReason ?? null) !== (fields.rejectionReason ?? null);
      await this.templates.manager.transaction(async (manager) => {
        await manager.getRepository(MessageTemplate).update({ id: row.id }, { ...fields, removedAt: null, lastSyncedAt: now });
        if (statusChanged) await writeEvents(manager, [templateStatusEvent({ ...row, category: fields.category }, fields.status, fields.rejectionReason ?? null)]);
      });
      if (changed) result.updated += 1;
    }

    const gone = local.filter((row) => !seen.has(key(row.name, row.language)) && row.providerTemplateId && !row.removedAt);
    for (const row of gone) {
      await this.templates.manager.transaction(async (manager) => {
        const { affected } = await manager.getRepository(MessageTemplate).update({ id: row.id, removedAt: IsNull() }, { removedAt: now, status: REMOVED_STATUS, lastSyncedAt: now });
        if (affected && row.status !== REMOVED_STATUS) await writeEvents(manager, [templateStatusEvent(row, REMOVED_STATUS, null)]);
      });
      result.removed += 1;
    }
    this.logger.info({ whatsappAccountId: accountId, ...result }, 'templates synced');
    return result;
  }

  /** Daily job: one `templates.sync` per account with a WABA, de-duplicated per account and day. */
  async enqueueAll(date = new Date()): Promise<number> {
    const accounts = await this.accountRows.find({ where: { wabaId: Not(IsNull()) }, select: { id: true } });
    const day = date.toISOString().slice(0, 10);
    for (const account of accounts) {
      await this.jobs.enqueue(JobName.SyncTemplates, { whatsappAccountId: account.id }, { key: `${account.id}-${day}` });
    }
    return accounts.length;
  }

  private async fetchAll(accountId: string): Promise<ProviderTemplate[]> {
    const { client, account } = await this.providers.forAccount(accountId);
    const all: ProviderTemplate[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const result = await client.listTemplates(account, { limit: SYNC_PAGE_SIZE, ...(after ? { after } : {}) });
      all.push(...result.data);
      if (!result.nextCursor || result.nextCursor === after) return all;
      after = result.nextCursor;
    }
    throw new Error(`template list of account ${accountId} did not end after ${MAX_PAGES} pages`);
  }
}

type SyncedFields = Pick<
  MessageTemplate,
  'name' | 'language' | 'providerTemplateId' | 'status' | 'category' | 'quality' | 'parameterFormat' | 'components' | 'rejectionReason'
>;

function fromProvider(t: ProviderTemplate): SyncedFields | null {
  const language = typeof t.language === 'string' ? t.language : null;
  const category = asCategory(t.category);
  if (!t.name || !language || !category) return null;
  const quality = t.quality_score as { score?: string } | string | undefined;
  const reason = typeof t.rejected_reason === 'string' && t.rejected_reason !== 'NONE' ? t.rejected_reason : null;
  const status = String(t.status ?? 'PENDING').toUpperCase();
  return {
    name: t.name,
    language,
    providerTemplateId: String(t.id),
    status,
    category,
    quality: (typeof quality === 'string' ? quality : quality?.score) ?? null,
    parameterFormat: String(t.parameter_format ?? 'POSITIONAL').toUpperCase() === 'NAMED' ? 'NAMED' : 'POSITIONAL',
    components: Array.isArray(t.components) ? (t.components as Array<Record<string, unknown>>) : [],
    rejectionReason: status === 'REJECTED' ? reason : null,
  };
}

function differs(row: MessageTemplate, fields: SyncedFields): boolean {
  return (Object.keys(fields) as Array<keyof SyncedFields>).some((k) => canonical(row[k]) !== canonical(fields[k]));
}

/** JSON with sorted keys: jsonb does not keep key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

function key(name: string, language: string): string {
  return `${name}\u0000${language}`;
}
