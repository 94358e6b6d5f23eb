import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Readable } from 'node:stream';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { decodeCursor, encodeCursor, type Page, pageLimit } from '../../common/pagination';
import type { CountryCode } from '../../common/phone';
import { Campaign } from '../../database/entities/campaign.entity';
import { CampaignStatus } from '../../database/entities/enums';
import type { WhatsappAccount } from '../../database/entities/whatsapp-account.entity';
import { WhatsappAccountsService } from '../whatsapp/accounts/whatsapp-accounts.service';
import { variantBounds } from './ab-split';
import { CampaignAudience, type CsvImport } from './campaign-audience.service';
import { CampaignsErrorCode } from './campaigns.errors';
import type { CreateCampaignDto, ListCampaignsQueryDto, UpdateCampaignDto } from './dto/campaign.dto';

export interface CampaignSummary {
  id: string;
  name: string | null;
  accountId: string;
  status: CampaignStatus;
  totalRecipients: number;
  content: unknown;
  audience: unknown;
  schedule: unknown;
  abTest: unknown;
  winnerVariant: number | null;
  startAt: Date | null;
  startedAt: Date | null;
  pausedAt: Date | null;
  completedAt: Date | null;
  createdAt: Date;
}

/** Drafts: create, edit (audience included), list, duplicate. Sending is CampaignLifecycle's. */
@Injectable()
export class CampaignsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: WhatsappAccountsService,
    private readonly audience: CampaignAudience,
  ) {}

  async create(organizationId: string, userId: string | null, dto: CreateCampaignDto): Promise<CampaignSummary> {
    const account = dto.accountId ? await this.accounts.get(organizationId, dto.accountId) : await this.accounts.getDefault(organizationId);
    if (dto.abTest) variantBounds(dto.abTest.variants.map((v) => v.percent), 0);
    const id = await this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query(
        `INSERT INTO campaign (organization_id, whatsapp_account_id, name, status, content, audience, schedule, ab_test, send_at, created_by_user_id)
         VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9) RETURNING id`,
        [organizationId, account.id, dto.name, dto.content, audienceSummary(dto.audience), dto.schedule ?? null, dto.abTest ?? null, dto.schedule?.startAt ?? null, userId],
      );
      const total = await this.audience.materialise(manager, organizationId, row.id, dto.audience, account.defaultRegion as CountryCode);
      await manager.query(`UPDATE campaign SET total_recipients = $2 WHERE id = $1`, [row.id, total]);
      return row.id as string;
    });
    return this.get(organizationId, id);
  }

  async update(organizationId: string, id: string, dto: UpdateCampaignDto): Promise<CampaignSummary> {
    const campaign = await this.draft(organizationId, id);
    if (dto.abTest) variantBounds(dto.abTest.variants.map((v) => v.percent), 0);
    const account = await this.accounts.get(organizationId, campaign.whatsappAccountId);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE campaign SET name = coalesce($2, name), content = coalesce($3, content), schedule = coalesce($4, schedule), ab_test = coalesce($5, ab_test),
                send_at = CASE WHEN $4::jsonb IS NULL THEN send_at ELSE ($4::jsonb->>'startAt')::timestamptz END, updated_at = now()
          WHERE id = $1 AND status = 'draft'`,
        [id, dto.name ?? null, dto.content ?? null, dto.schedule ?? null, dto.abTest ?? null],
      );
      if (dto.audience) await this.replaceAudience(manager, organizationId, id, dto, account);
    });
    return this.get(organizationId, id);
  }

  async importCsv(organizationId: string, id: string, stream: Readable): Promise<CsvImport> {
    const campaign = await this.draft(organizationId, id);
    const account = await this.accounts.get(organizationId, campaign.whatsappAccountId);
    return this.dataSource.transaction(async (manager) => {
      const result = await this.audience.importCsv(manager, organizationId, id, stream, account.defaultRegion as CountryCode);
      await manager.query(
        `UPDATE campaign SET total_recipients = $2, audience = coalesce(audience, '{}'::jsonb) || jsonb_build_object('csvRows', coalesce((audience->>'csvRows')::int, 0) + $3), updated_at = now() WHERE id = $1`,
        [id, result.total, result.accepted],
      );
      return result;
    });
  }

  /** A new draft with the same content, settings and recipients (their progress reset). */
  async duplicate(organizationId: string, userId: string | null, id: string): Promise<CampaignSummary> {
    const source = await this.load(organizationId, id);
    const copyId = await this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query(
        `INSERT INTO campaign (organization_id, whatsapp_account_id, name, status, content, audience, schedule, ab_test, send_at, total_recipients, created_by_user_id)
         SELECT organization_id, whatsapp_account_id, left('Copy of ' || coalesce(name, ''), 200), 'draft', content, audience, schedule, ab_test, send_at, total_recipients, $3
           FROM campaign WHERE id = $1 AND organization_id = $2 RETURNING id`,
        [source.id, organizationId, userId],
      );
      await manager.query(
        `INSERT INTO campaign_recipient (organization_id, campaign_id, phone_e164, contact_id, content, timezone)
         SELECT organization_id, $2, phone_e164, contact_id, content, timezone FROM campaign_recipient WHERE campaign_id = $1`,
        [source.id, row.id],
      );
      return row.id as string;
    });
    return this.get(organizationId, copyId);
  }

  async get(organizationId: string, id: string): Promise<CampaignSummary> {
    return summary(await this.load(organizationId, id));
  }

  async list(organizationId: string, query: ListCampaignsQueryDto): Promise<Page<CampaignSummary>> {
    const limit = pageLimit(query.limit);
    const cursor = decodeCursor(query.cursor);
    const rows: Array<{ id: string; k: string }> = await this.dataSource.query(
      `SELECT id, created_at::text AS k FROM campaign WHERE organization_id = $1 AND ($2::campaign_status IS NULL OR status = $2) AND ($3::uuid IS NULL OR whatsapp_account_id = $3)
          AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid)) ORDER BY created_at DESC, id DESC LIMIT $6`,
      [organizationId, query.status ?? null, query.accountId ?? null, cursor?.k ?? null, cursor?.id ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const campaigns = await this.dataSource.getRepository(Campaign).find({ where: page.map((r) => ({ id: r.id, organizationId })) });
    const byId = new Map(campaigns.map((c) => [c.id, c]));
    const last = page.at(-1);
    return { data: page.map((r) => summary(byId.get(r.id)!)), nextCursor: rows.length > limit && last ? encodeCursor({ k: last.k, id: last.id }) : null };
  }

  async load(organizationId: string, id: string): Promise<Campaign> {
    const campaign = await this.dataSource.getRepository(Campaign).findOne({ where: { id, organizationId } });
    if (!campaign) throw new NotFoundError(CampaignsErrorCode.CampaignNotFound, 'campaign');
    return campaign;
  }

  private async draft(organizationId: string, id: string): Promise<Campaign> {
    const campaign = await this.load(organizationId, id);
    if (campaign.status !== CampaignStatus.Draft) {
      throw new DomainError(CampaignsErrorCode.CampaignNotEditable, `Only a draft can be edited (this campaign is ${campaign.status})`, { status: campaign.status });
    }
    return campaign;
  }

  private async replaceAudience(manager: EntityManager, organizationId: string, id: string, dto: UpdateCampaignDto, account: WhatsappAccount): Promise<void> {
    const total = await this.audience.materialise(manager, organizationId, id, dto.audience!, account.defaultRegion as CountryCode);
    await manager.query(`UPDATE campaign SET total_recipients = $2, audience = $3 WHERE id = $1`, [id, total, audienceSummary(dto.audience!)]);
  }
}

function audienceSummary(audience: CreateCampaignDto['audience']): Record<string, unknown> {
  return { contactIds: audience.contactIds ?? [], labels: audience.labels ?? [], explicitRecipients: audience.recipients?.length ?? 0 };
}

function summary(c: Campaign): CampaignSummary {
  return {
    id: c.id,
    name: c.name,
    accountId: c.whatsappAccountId,
    status: c.status,
    totalRecipients: c.totalRecipients,
    content: c.content,
    audience: c.audience,
    schedule: c.schedule,
    abTest: c.abTest,
    winnerVariant: c.winnerVariant,
    startAt: c.sendAt,
    startedAt: c.startedAt,
    pausedAt: c.pausedAt,
    completedAt: c.completedAt,
    createdAt: c.createdAt,
  };
}
