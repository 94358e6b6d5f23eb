import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import { decodeCursor, type Page, pageLimit, toPage } from '../../../common/pagination';
import { LegalHold } from '../../../database/entities/legal-hold.entity';
import { RetentionPolicy } from '../../../database/entities/retention-policy.entity';
import { RetentionRun } from '../../../database/entities/retention-run.entity';
import { LifecycleErrorCode } from '../lifecycle.errors';
import type { CreateLegalHoldDto, LegalHoldDto, RetentionPolicyDto, RetentionRunDto } from './dto/retention.dto';

const POLICY_FIELDS = ['messageBodyDays', 'mediaDays', 'webhookEventDays', 'agentRunDays', 'closedConversationDays', 'campaignRecipientDays'] as const;

/** An organisation's retention policy, its legal holds and the audit of its runs. */
@Injectable()
export class RetentionSettingsService {
  constructor(
    @InjectRepository(RetentionPolicy) private readonly policies: Repository<RetentionPolicy>,
    @InjectRepository(RetentionRun) private readonly runs: Repository<RetentionRun>,
    @InjectRepository(LegalHold) private readonly holds: Repository<LegalHold>,
  ) {}

  async getPolicy(organizationId: string): Promise<Required<RetentionPolicyDto>> {
    return toPolicyDto(await this.policies.findOneBy({ organizationId }));
  }

  /** Replaces the policy: a field left out keeps that kind forever, like null. */
  async putPolicy(organizationId: string, body: RetentionPolicyDto): Promise<Required<RetentionPolicyDto>> {
    const values = Object.fromEntries(POLICY_FIELDS.map((field) => [field, body[field] ?? null]));
    await this.policies.upsert({ organizationId, ...values }, { conflictPaths: ['organizationId'] });
    return this.getPolicy(organizationId);
  }

  async listRuns(organizationId: string, limit?: number, cursor?: string): Promise<Page<RetentionRunDto>> {
    const take = pageLimit(limit);
    const after = decodeCursor(cursor);
    const rows = (await this.runs.query(
      `SELECT r.*, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key FROM retention_run r
       WHERE r.organization_id = $1 AND ($2::timestamptz IS NULL OR (r.created_at, r.id) < ($2::timestamptz, $3::uuid))
       ORDER BY r.created_at DESC, r.id DESC LIMIT $4`,
      [organizationId, after?.k ?? null, after?.id ?? null, take + 1],
    )) as RunRow[];
    return toPage(rows, take, toRunDto, (row) => ({ k: row.created_key, id: row.id }));
  }

  async addHold(organizationId: string, body: CreateLegalHoldDto): Promise<LegalHoldDto> {
    if (Boolean(body.contactId) === Boolean(body.conversationId)) {
      throw new DomainError(LifecycleErrorCode.LegalHoldTargetInvalid, 'A legal hold names exactly one of contactId or conversationId');
    }
    const table = body.contactId ? 'contact' : 'conversation';
    const found = (await this.holds.manager.query(`SELECT 1 FROM ${table} WHERE id = $1 AND organization_id = $2`, [body.contactId ?? body.conversationId, organizationId])) as unknown[];
    if (found.length === 0) throw new NotFoundError(LifecycleErrorCode.LegalHoldNotFound, table);
    const column = body.contactId ? 'contact_id' : 'conversation_id';
    await this.holds
      .createQueryBuilder()
      .insert()
      .values({ organizationId, contactId: body.contactId ?? null, conversationId: body.conversationId ?? null, reason: body.reason ?? null })
      .orIgnore(`("organization_id", "${column}") WHERE ${column} IS NOT NULL`)
      .execute();
    const hold = await this.holds.findOneByOrFail(body.contactId ? { organizationId, contactId: body.contactId } : { organizationId, conversationId: body.conversationId });
    return toHoldDto(hold);
  }

  async listHolds(organizationId: string): Promise<LegalHoldDto[]> {
    return (await this.holds.find({ where: { organizationId }, order: { createdAt: 'ASC' } })).map(toHoldDto);
  }

  async removeHold(organizationId: string, id: string): Promise<void> {
    const result = await this.holds.delete({ id, organizationId });
    if (!result.affected) throw new NotFoundError(LifecycleErrorCode.LegalHoldNotFound, 'legal hold');
  }
}

interface RunRow {
  id: string;
  trigger: string;
  dry_run: boolean;
  as_of: Date;
  policy: Record<string, number | null>;
  removed: Record<string, number>;
  status: string;
  created_at: Date;
  finished_at: Date | null;
  created_key: string;
}

export function toRunDto(row: RunRow): RetentionRunDto {
  return {
    id: row.id,
    trigger: row.trigger,
    dryRun: row.dry_run,
    asOf: row.as_of.toISOString(),
    policy: row.policy,
    removed: row.removed,
    status: row.status,
    startedAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

function toPolicyDto(policy: RetentionPolicy | null): Required<RetentionPolicyDto> {
  return Object.fromEntries(POLICY_FIELDS.map((field) => [field, policy?.[field] ?? null])) as Required<RetentionPolicyDto>;
}

function toHoldDto(hold: LegalHold): LegalHoldDto {
  return { id: hold.id, contactId: hold.contactId, conversationId: hold.conversationId, reason: hold.reason, createdAt: hold.createdAt.toISOString() };
}
