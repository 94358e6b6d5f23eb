import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type { RedisClient } from '../../../common/redis/redis-client';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { REDIS } from '../../../common/redis/redis.module';
import { AppConfig } from '../../../config/app-config';
import { ASYNC_COMMIT } from '../../../database/async-commit';
import { AgentRunOutcome } from '../../../database/entities/enums';
import type { OrganizationSettings } from '../../../database/entities/organization.entity';
import type { BusinessHours } from '../../../database/entities/whatsapp-account.entity';
import { SendMessageService } from '../../communications/outbound/send-message.service';
import type { SendMessageDto } from '../../communications/outbound/dto/send-message.dto';
import { MetricsService } from '../../metrics/metrics.service';
import { RealtimePublisher } from '../../realtime/realtime.publisher';
import { detectOptKeyword } from '../../communications/contacts/opt-keyword';
import { AgentFlowsService } from '../config/agent-flows.service';
import { AgentSettingsService } from '../config/agent-settings.service';
import type { RoutingResult } from '../engine/agent-registry';
import type { AgentContext, BotState, HistoryEntry, InboundText, OutboundReply } from '../engine/agent.types';
import { AgentEngine } from './agent-engine.service';
import { ConversationLock } from './conversation-lock';

/** At most this many inbound messages form one burst (the newest). */
const MAX_BURST = 10;
/** Older unanswered messages than this before the newest one are not part of the burst. */
const BURST_WINDOW_MS = 30 * 60_000;
const HISTORY_LIMIT = 20;
/** How long a multi-message reply waits for its previous part to be sent before queueing the next. */
const ORDER_WAIT_MS = 10_000;
/** A run row inserted but not finished yet; a retried job resumes it (same run id → same idempotency keys). */
const IN_PROGRESS = 'in_progress';

export type RunSummary =
  | { status: 'nothing_new' | 'not_found' | 'duplicate'; conversationId: string; runId?: string }
  | { status: 'skipped'; conversationId: string; runId: string; reason: string }
  | { status: 'done'; conversationId: string; runId: string; outcome: AgentRunOutcome; agent: string; replies: number };

interface ConversationRow {
  id: string;
  organization_id: string;
  whatsapp_account_id: string;
  contact_id: string;
  bot_state: BotState | null;
  bot_paused: boolean;
  timezone: string;
  business_hours: BusinessHours | null;
  account_auto_replies: boolean;
  org_name: string;
  org_settings: OrganizationSettings | null;
  contact_name: string | null;
  contact_profile_name: string | null;
  contact_phone: string | null;
  contact_attributes: Record<string, unknown> | null;
}

interface MessageRow {
  id: string;
  direction: 'inbound' | 'outbound';
  type: string;
  text: string | null;
  content: Record<string, unknown> | null;
  occurred_at: Date;
  created_at: Date;
}

/** Handles `agents.run {conversationId}`: one burst of inbound messages → at most one routed answer. */
@Injectable()
export class AgentRunner {
  private readonly logger: Logger;
  private readonly runs;
  private readonly duration;
  private readonly lock: ConversationLock;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: AgentSettingsService,
    private readonly flows: AgentFlowsService,
    private readonly engine: AgentEngine,
    private readonly sender: SendMessageService,
    private readonly realtime: RealtimePublisher,
    metrics: MetricsService,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    @Inject(REDIS) redis: RedisClient,
    config: AppConfig,
  ) {
    // Half the job lock: a killed worker's conversation lock has expired before BullMQ can see its job stalled.
    this.lock = new ConversationLock(redis, config.QUEUE_PREFIX, config.WORKER_STALLED_INTERVAL_MS / 2);
    this.logger = rootLogger.child({ module: 'agents' });
    this.runs = metrics.counter('conversa_agent_runs_total', 'Agent runs by outcome and answering agent', ['outcome', 'agent']);
    this.duration = metrics.histogram('conversa_agent_run_duration_seconds', 'Agent run duration (lock to side effects)', ['outcome'], [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  }

  /** Never two runs for one conversation at once (a Redis lock: no database connection is held while waiting or routing). */
  async run(conversationId: string): Promise<RunSummary> {
    return this.lock.withLock(conversationId, () => this.runLocked(conversationId));
  }

  private async runLocked(conversationId: string): Promise<RunSummary> {
    const started = Date.now();
    const db = this.dataSource.manager;
    const conversation = await this.loadConversation(db, conversationId);
    if (!conversation) return { status: 'not_found', conversationId };
    const burst = await this.loadBurst(db, conversationId);
    if (burst.length === 0) return { status: 'nothing_new', conversationId };
    const latest = burst[burst.length - 1];
    const runId = await this.claim(db, conversation, latest.id);
    if (!runId) return { status: 'duplicate', conversationId };

    const org = this.settings.fromRow({ id: conversation.organization_id, name: conversation.org_name, settings: conversation.org_settings });
    const skip = this.skipReason(conversation, org.autoRepliesEnabled, burst);
    if (skip) return this.finishSkipped(db, conversation, runId, skip, started);

    const ctx = await this.buildContext(db, conversation, burst, org);
    const result = await this.engine.route(ctx, await this.flows.active(conversation.organization_id));
    if (result.skipped) return this.finishSkipped(db, conversation, runId, result.skipped, started);

    const isAi = result.reply.messages.some((message) => 'isAi' in message && message.isAi === true);
    const { ids, errors } = await this.sendReplies(conversation, runId, result, isAi);
    await this.applyEffects(conversation, burst, runId, result, ids, errors, isAi, started);
    return this.report(conversation, runId, result, ids, errors, isAi, started, burst.length);
  }

  private async loadConversation(db: EntityManager, id: string): Promise<ConversationRow | undefined> {
    const [row] = (await db.query(
      `SELECT c.id, c.organization_id, c.whatsapp_account_id, c.contact_id, c.bot_state, c.bot_paused,
              a.timezone, a.business_hours, a.auto_replies_enabled AS account_auto_replies,
              o.name AS org_name, o.settings AS org_settings,
              ct.name AS contact_name, ct.profile_name AS contact_profile_name, ct.phone_e164 AS contact_phone, ct.custom_attributes AS contact_attributes
         FROM conversation c
         JOIN whatsapp_account a ON a.id = c.whatsapp_account_id
         JOIN organization o ON o.id = c.organization_id
         JOIN contact ct ON ct.id = c.contact_id
        WHERE c.id = $1`,
      [id],
    )) as ConversationRow[];
    return row;
  }

  /** Inbound messages stored after the latest finished run's newest message, oldest first. */
  private async loadBurst(db: EntityManager, conversationId: string): Promise<MessageRow[]> {
    const rows = (await db.query(
      `SELECT id, direction, type, text, content, occurred_at, created_at FROM message
        WHERE conversation_id = $1 AND direction = 'inbound'
          AND created_at > COALESCE((SELECT max(inbound_at) FROM agent_run WHERE conversation_id = $1 AND outcome <> 'failed'), '-infinity'::timestamptz)
        ORDER BY created_at DESC, occurred_at DESC
        LIMIT ${MAX_BURST}`,
      [conversationId],
    )) as MessageRow[];
    const newest = rows[0] ? new Date(rows[0].created_at).getTime() : 0;
    return rows.filter((row) => newest - new Date(row.created_at).getTime() <= BURST_WINDOW_MS).reverse();
  }

  /**
   * Inserts the run FIRST, keyed by conversation + newest inbound message: a replayed webhook or a
   * retried job finds the row and sends nothing again. A row left `in_progress`/`failed` by a crashed
   * or failed attempt is resumed with the same id, so its idempotency keys dedupe any reply already queued.
   */
  private async claim(db: EntityManager, conversation: ConversationRow, latestMessageId: string): Promise<string | undefined> {
    const triggerKey = `${conversation.id}:${latestMessageId}`;
    const inserted = (await db.query(
      // Asynchronous commit: if this row is lost in a crash no reply was sent either (the reply's own
      // synchronous commit would have flushed it), so the retried job simply claims again.
      `${ASYNC_COMMIT} INSERT INTO agent_run (organization_id, conversation_id, message_id, trigger_key, outcome, error, inbound_at)
       SELECT $1, $2, $3, $4, 'failed', '${IN_PROGRESS}', (SELECT created_at FROM message WHERE id = $3) FROM async_commit
       ON CONFLICT (trigger_key) DO NOTHING RETURNING id`,
      [conversation.organization_id, conversation.id, latestMessageId, triggerKey],
    )) as Array<{ id: string }>;
    if (inserted[0]) return inserted[0].id;
    const [existing] = (await db.query(`SELECT id, outcome FROM agent_run WHERE trigger_key = $1`, [triggerKey])) as Array<{ id: string; outcome: string }>;
    if (existing?.outcome === AgentRunOutcome.Failed) {
      this.logger.info({ conversationId: conversation.id, runId: existing.id }, 'agent run resumed');
      return existing.id;
    }
    return undefined;
  }

  private skipReason(conversation: ConversationRow, orgAutoReplies: boolean, burst: MessageRow[]): string | undefined {
    if (conversation.bot_paused) return 'bot_paused';
    if (!orgAutoReplies) return 'organization_auto_replies_disabled';
    if (!conversation.account_auto_replies) return 'account_auto_replies_disabled';
    // Opting out of marketing (`contact.opted_out_at`) does not stop service replies; this flag stops the bot entirely.
    if (conversation.contact_attributes?.autoReplies === false) return 'contact_opted_out';
    if (burst.every((message) => detectOptKeyword(message.text) !== null)) return 'opt_keyword';
    return undefined;
  }

  private async buildContext(db: EntityManager, conversation: ConversationRow, burst: MessageRow[], org: ReturnType<AgentSettingsService['fromRow']>): Promise<AgentContext> {
    const burstIds = burst.map((message) => message.id);
    const history = (await db.query(
      `SELECT id, direction, type, text, occurred_at FROM message
        WHERE conversation_id = $1 AND NOT (id = ANY($2::uuid[]))
        ORDER BY occurred_at DESC, created_at DESC LIMIT ${HISTORY_LIMIT}`,
      [conversation.id, burstIds],
    )) as MessageRow[];
    const botState = conversation.bot_state ?? {};
    const streak = Number(botState.unsureStreak);
    return {
      organizationId: conversation.organization_id,
      messages: burst.map(toInboundText),
      contact: { id: conversation.contact_id, name: conversation.contact_name ?? conversation.contact_profile_name ?? undefined, phone: conversation.contact_phone ?? undefined, optedOut: false },
      history: history.reverse().map((row): HistoryEntry => ({ direction: row.direction, text: row.text ?? undefined, at: new Date(row.occurred_at) })),
      conversation: { id: conversation.id, botState, botPaused: conversation.bot_paused, accountTimezone: conversation.timezone, unsureStreak: Number.isFinite(streak) ? streak : 0 },
      config: this.settings.resolve(org, conversation.business_hours),
      now: new Date(),
    };
  }

  /** Through the send pipeline (window, validation, idempotency, queue); a message the pipeline refuses is reported, not retried. */
  private async sendReplies(conversation: ConversationRow, runId: string, result: RoutingResult, isAi: boolean): Promise<{ ids: string[]; errors: string[] }> {
    const ids: string[] = [];
    const errors: string[] = [];
    for (const [index, reply] of result.reply.messages.entries()) {
      const dto = toSendDto(conversation.id, reply, { agentName: result.agent, confidence: result.confidence, isAi: isAi || ('isAi' in reply && reply.isAi === true), runId });
      // The pipeline sends queued messages in parallel: a multi-message reply waits for the previous one to leave, to keep its order.
      if (ids.length > 0) await this.waitUntilSent(ids[ids.length - 1], conversation.id, runId);
      try {
        const sent = await this.sender.send(conversation.organization_id, dto, `agent:${runId}:${index}`);
        ids.push(sent.body.id);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        errors.push(`${error.code}: ${error.message}`);
        this.logger.warn({ conversationId: conversation.id, runId, agent: result.agent, code: error.code }, 'agent reply refused by the send pipeline');
      }
    }
    if (ids.length > 0) {
      // The send pipeline owns the row; only the agent attribution columns are set here.
      await this.dataSource.query(`UPDATE message SET agent_name = $2, agent_confidence = $3, is_ai = $4 WHERE id = ANY($1::uuid[])`, [ids, result.agent, result.confidence, isAi]);
    }
    return { ids, errors };
  }

  private async waitUntilSent(messageId: string, conversationId: string, runId: string): Promise<void> {
    const deadline = Date.now() + ORDER_WAIT_MS;
    for (;;) {
      const [row] = (await this.dataSource.query(`SELECT status FROM message WHERE id = $1`, [messageId])) as Array<{ status: string }>;
      if (!row || !['queued', 'sending'].includes(row.status)) return;
      if (Date.now() > deadline) {
        this.logger.warn({ conversationId, runId, messageId }, 'agent reply still queued: sending the next part without waiting');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async applyEffects(
    conversation: ConversationRow,
    burst: MessageRow[],
    runId: string,
    result: RoutingResult,
    ids: string[],
    errors: string[],
    isAi: boolean,
    started: number,
  ): Promise<void> {
    const effects = result.reply.sideEffects ?? {};
    const handoff = Boolean(effects.handoff);
    await this.dataSource.transaction(async (db) => {
      await db.query(
        `UPDATE conversation SET
            bot_state = $2::jsonb,
            labels = ARRAY(SELECT DISTINCT unnest(labels || $3::text[])),
            bot_paused = bot_paused OR $4,
            bot_paused_at = CASE WHEN $4 THEN COALESCE(bot_paused_at, now()) ELSE bot_paused_at END,
            handoff_requested_at = CASE WHEN $4 THEN COALESCE(handoff_requested_at, now()) ELSE handoff_requested_at END,
            updated_at = now()
          WHERE id = $1`,
        [conversation.id, JSON.stringify(effects.botState ?? conversation.bot_state ?? {}), effects.addLabels ?? [], handoff],
      );
      if (effects.interest) {
        await db.query(`UPDATE message SET interest = $2 WHERE id = ANY($1::uuid[])`, [burst.map((message) => message.id), effects.interest]);
        await db.query(`UPDATE contact SET interest = $2, updated_at = now() WHERE id = $1`, [conversation.contact_id, effects.interest]);
      }
      const outcome = outcomeOf(handoff, ids, errors);
      await db.query(
        `UPDATE agent_run SET agent_name = $2, confidence = $3, scores = $4::jsonb, latency_ms = $5, outcome = $6::agent_run_outcome,
                reply_message_ids = $7::uuid[], is_ai = $8, error = $9 WHERE id = $1`,
        [runId, result.agent, result.confidence, JSON.stringify(result.scores), Date.now() - started, outcome, ids, isAi, errors.length > 0 ? errors.join('; ').slice(0, 2000) : null],
      );
    });
  }

  private async report(conversation: ConversationRow, runId: string, result: RoutingResult, ids: string[], errors: string[], isAi: boolean, started: number, burstSize: number): Promise<RunSummary> {
    const handoff = result.reply.sideEffects?.handoff;
    const outcome = outcomeOf(Boolean(handoff), ids, errors);
    const latencyMs = Date.now() - started;
    this.runs.inc({ outcome, agent: result.agent });
    this.duration.observe({ outcome }, latencyMs / 1000);
    this.logger.info(
      { conversationId: conversation.id, organizationId: conversation.organization_id, runId, agent: result.agent, confidence: result.confidence, outcome, replies: ids.length, burst: burstSize, unsure: result.unsure, llm: result.llm, isAi, latencyMs },
      'agent run',
    );
    if (handoff) {
      this.logger.info({ conversationId: conversation.id, organizationId: conversation.organization_id, runId, agent: result.agent, reason: handoff.reason }, 'agent handoff: bot paused, conversation flagged for a person');
      await this.realtime.publish(conversation.organization_id, { type: 'conversation.updated', conversationId: conversation.id, reason: 'handoff' });
    }
    return { status: 'done', conversationId: conversation.id, runId, outcome, agent: result.agent, replies: ids.length };
  }

  private async finishSkipped(db: EntityManager, conversation: ConversationRow, runId: string, reason: string, started: number): Promise<RunSummary> {
    await db.query(
      `${ASYNC_COMMIT} UPDATE agent_run SET outcome = 'skipped', error = $2, latency_ms = $3, agent_name = NULL WHERE id = $1 AND EXISTS (SELECT 1 FROM async_commit)`,
      [runId, reason, Date.now() - started],
    );
    this.runs.inc({ outcome: AgentRunOutcome.Skipped, agent: 'none' });
    this.logger.info({ conversationId: conversation.id, organizationId: conversation.organization_id, runId, reason }, 'agent run skipped');
    return { status: 'skipped', conversationId: conversation.id, runId, reason };
  }
}

export function toInboundText(row: Pick<MessageRow, 'type' | 'text' | 'content' | 'occurred_at'>): InboundText {
  const content = row.content ?? {};
  const pick = (key: string): string | undefined => {
    const value = (content as Record<string, Record<string, unknown> | undefined>)[key]?.id;
    return typeof value === 'string' ? value : undefined;
  };
  const replyId = pick('button_reply') ?? pick('list_reply') ?? (row.type === 'button' && typeof content.payload === 'string' ? content.payload : undefined);
  return { text: row.text ?? undefined, type: row.type, ...(replyId ? { interactiveReplyId: replyId } : {}), timestamp: new Date(row.occurred_at) };
}

export function toSendDto(conversationId: string, reply: OutboundReply, metadata: Record<string, unknown>): SendMessageDto {
  const base = { conversationId, kind: 'agent', metadata } as Pick<SendMessageDto, 'conversationId' | 'kind' | 'metadata'>;
  switch (reply.type) {
    case 'text':
      return { ...base, type: 'text', text: { body: reply.text } } as SendMessageDto;
    case 'buttons':
      return {
        ...base,
        type: 'interactive',
        interactive: { type: 'button', body: { text: reply.text }, action: { buttons: reply.buttons.slice(0, 3).map((button) => ({ type: 'reply', reply: { id: button.id, title: button.title.slice(0, 20) } })) } },
      } as SendMessageDto;
    case 'list':
      return {
        ...base,
        type: 'interactive',
        interactive: { type: 'list', body: { text: reply.text }, action: { button: reply.button.slice(0, 20), sections: reply.sections.map((section) => ({ ...(section.title ? { title: section.title } : {}), rows: section.rows })) } },
      } as SendMessageDto;
    case 'template':
      return { ...base, type: 'template', template: { name: reply.name, language: reply.language, variables: reply.variables } } as SendMessageDto;
  }
}

function outcomeOf(handoff: boolean, ids: string[], errors: string[]): AgentRunOutcome {
  if (handoff) return AgentRunOutcome.Handoff;
  if (ids.length > 0) return AgentRunOutcome.Replied;
  return errors.length > 0 ? AgentRunOutcome.Failed : AgentRunOutcome.NoReply;
}
