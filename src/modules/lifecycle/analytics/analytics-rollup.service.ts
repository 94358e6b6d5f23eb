import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import type { RedisClient } from '../../../common/redis/redis-client';
import { REDIS } from '../../../common/redis/redis.module';
import { AppConfig } from '../../../config/app-config';
import type { BusinessHours } from '../../../database/entities/whatsapp-account.entity';
import { DELETE_DAILY, INSERT_DAILY, INSERT_DAILY_DURATIONS } from './analytics-rollup.sql';
import { computeCycles, type TimelineEntry, type TimelineKind } from './cycles';

const CHUNK = 1000;
/** Rows committed just before a pass started may carry an earlier timestamp: look back this much further. */
const OVERLAP_MS = 5000;

/** An (organisation, account, UTC day) whose rollups must be rebuilt. */
interface DayKey {
  o: string;
  a: string;
  d: string;
}

interface ConversationRow {
  id: string;
  organization_id: string;
  whatsapp_account_id: string;
  assignee_user_id: string | null;
  labels: string[];
  timezone: string;
  business_hours: BusinessHours | null;
}

/**
 * Keeps analytics_cycle (one pre-aggregated row per conversation cycle) in step with messages, agent handoffs and
 * the conversation action log: each pass recomputes the conversations touched since the last pass (watermark in
 * Redis; a lost watermark only means a full recompute). Human replies are attributed to the conversation's assignee.
 */
@Injectable()
export class AnalyticsRollupService {
  private readonly watermarkKey: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: RedisClient,
    config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.watermarkKey = `${config.QUEUE_PREFIX}:analytics:watermark`;
  }

  /** The scheduled pass; returns how many conversations were recomputed. */
  async rollupPending(): Promise<number> {
    const started = new Date(Date.now() - OVERLAP_MS);
    const since = new Date((await this.redis.get(this.watermarkKey)) ?? 0);
    const ids = await this.changedSince(since);
    await this.recomputeAll(ids);
    await this.redis.set(this.watermarkKey, started.toISOString());
    if (ids.length > 0) this.logger.info({ conversations: ids.length }, 'analytics cycles recomputed');
    return ids.length;
  }

  /**
   * Conversations whose cycles may have changed since `since`. One that holds nothing but campaign sends has no
   * cycle (campaign sends are not replies), so a broadcast touching 100,000 conversations costs no recompute.
   */
  async changedSince(since: Date): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT c.id FROM conversation c WHERE (c.updated_at > $1 OR c.last_message_at > $1)
          AND (c.status = 'closed' OR EXISTS (SELECT 1 FROM message m WHERE m.conversation_id = c.id AND m.campaign_id IS NULL))
       UNION SELECT conversation_id FROM analytics_milestone WHERE created_at > $1
       UNION SELECT conversation_id FROM agent_run WHERE created_at > $1 AND outcome = 'handoff'`,
      [since],
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /** Every conversation of an organisation (backfill, benchmarks). */
  async rebuild(organizationId: string): Promise<number> {
    const ids = ((await this.dataSource.query(`SELECT id FROM conversation WHERE organization_id = $1`, [organizationId])) as Array<{ id: string }>).map((row) => row.id);
    await this.recomputeAll(ids);
    return ids.length;
  }

  /** Cycles chunk by chunk, then each touched day's rollups once (a day's rollup reads all its cycles). */
  private async recomputeAll(ids: string[]): Promise<void> {
    const days = new Map<string, DayKey>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      for (const key of await this.recompute(ids.slice(i, i + CHUNK))) days.set(`${key.o}|${key.a}|${key.d}`, key);
    }
    const keys = [...days.values()];
    for (let i = 0; i < keys.length; i += CHUNK) await this.dataSource.transaction((manager) => this.refreshDays(manager, keys.slice(i, i + CHUNK)));
  }

  /** Rewrites the conversations' cycles; returns the days (old and new) whose rollups are now stale. */
  private async recompute(conversationIds: string[], now = new Date()): Promise<DayKey[]> {
    const conversations = (await this.dataSource.query(
      `SELECT c.id, c.organization_id, c.whatsapp_account_id, c.assignee_user_id, c.labels, a.timezone, a.business_hours
       FROM conversation c JOIN whatsapp_account a ON a.id = c.whatsapp_account_id WHERE c.id = ANY($1::uuid[])`,
      [conversationIds],
    )) as ConversationRow[];
    const timelines = await this.timelines(conversationIds);
    const rows = conversations.flatMap((c) =>
      computeCycles(timelines.get(c.id) ?? [], { hours: c.business_hours, timeZone: c.timezone }, now).map((cycle) => ({
        ...cycle,
        conversationId: c.id,
        organizationId: c.organization_id,
        whatsappAccountId: c.whatsapp_account_id,
        agentUserId: cycle.humanReplies > 0 ? c.assignee_user_id : null,
        labels: c.labels,
      })),
    );
    return this.dataSource.transaction(async (manager) => {
      const [previous] = (await manager.query(
        `DELETE FROM analytics_cycle WHERE conversation_id = ANY($1::uuid[])
         RETURNING organization_id AS o, whatsapp_account_id AS a, to_char((opened_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS d`,
        [conversationIds],
      )) as [DayKey[], number];
      if (rows.length > 0) await manager.query(
        `INSERT INTO analytics_cycle (conversation_id, cycle, organization_id, whatsapp_account_id, opened_at, first_bot_reply_at, handoff_at,
           first_human_reply_at, resolved_at, agent_user_id, labels, inbound_count, outbound_count, human_replies, first_response_seconds,
           first_response_business_seconds, resolution_seconds, resolution_business_seconds, auto_resolved, window_expired)
         SELECT "conversationId", cycle, "organizationId", "whatsappAccountId", "openedAt", "firstBotReplyAt", "handoffAt", "firstHumanReplyAt",
           "resolvedAt", "agentUserId", labels, "inboundCount", "outboundCount", "humanReplies", "firstResponseSeconds",
           "firstResponseBusinessSeconds", "resolutionSeconds", "resolutionBusinessSeconds", "autoResolved", "windowExpired"
         FROM jsonb_to_recordset($1::jsonb) AS r("conversationId" uuid, cycle int, "organizationId" uuid, "whatsappAccountId" uuid,
           "openedAt" timestamptz, "firstBotReplyAt" timestamptz, "handoffAt" timestamptz, "firstHumanReplyAt" timestamptz, "resolvedAt" timestamptz,
           "agentUserId" uuid, labels text[], "inboundCount" int, "outboundCount" int, "humanReplies" int, "firstResponseSeconds" int,
           "firstResponseBusinessSeconds" int, "resolutionSeconds" int, "resolutionBusinessSeconds" int, "autoResolved" boolean, "windowExpired" boolean)`,
        [JSON.stringify(rows)],
      );
      return [...previous, ...rows.map((row) => ({ o: row.organizationId, a: row.whatsappAccountId, d: row.openedAt.toISOString().slice(0, 10) }))];
    });
  }

  /** Rebuilds the daily rollups of every (organisation, account, day) whose cycles changed, old days included. */
  private async refreshDays(manager: EntityManager, keys: DayKey[]): Promise<void> {
    if (keys.length === 0) return;
    const params = [JSON.stringify(keys)];
    for (const sql of DELETE_DAILY) await manager.query(sql, params);
    await manager.query(INSERT_DAILY, params);
    await manager.query(INSERT_DAILY_DURATIONS, params);
  }

  /**
   * Customer messages, bot and human replies (campaign sends and failed sends are not replies), bot handoffs,
   * and the action log; a conversation closed before the log existed gets its close from closed_at.
   */
  private async timelines(conversationIds: string[]): Promise<Map<string, TimelineEntry[]>> {
    const rows = (await this.dataSource.query(
      `SELECT conversation_id, occurred_at AS at,
              CASE WHEN direction = 'inbound' THEN 'inbound' WHEN agent_name IS NOT NULL OR is_ai OR kind = 'agent' THEN 'bot' ELSE 'human' END AS kind
       FROM message WHERE conversation_id = ANY($1::uuid[]) AND NOT (direction = 'outbound' AND (campaign_id IS NOT NULL OR status = 'failed'))
       UNION ALL SELECT conversation_id, created_at, 'handoff' FROM agent_run WHERE conversation_id = ANY($1::uuid[]) AND outcome = 'handoff'
       UNION ALL SELECT conversation_id, occurred_at, kind FROM analytics_milestone WHERE conversation_id = ANY($1::uuid[])
       UNION ALL SELECT c.id, c.closed_at, 'closed' FROM conversation c WHERE c.id = ANY($1::uuid[]) AND c.status = 'closed' AND c.closed_at IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM analytics_milestone m WHERE m.conversation_id = c.id AND m.kind = 'closed')`,
      [conversationIds],
    )) as Array<{ conversation_id: string; at: Date; kind: TimelineKind }>;
    const byConversation = new Map<string, TimelineEntry[]>();
    for (const row of rows) {
      const list = byConversation.get(row.conversation_id) ?? [];
      list.push({ at: row.at, kind: row.kind });
      byConversation.set(row.conversation_id, list);
    }
    return byConversation;
  }
}
