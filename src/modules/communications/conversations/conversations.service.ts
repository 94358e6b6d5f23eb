import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Conversation } from '../../../database/entities/conversation.entity';
import { changeLiteral, conversationEventsSql } from '../communications-events';

/** Meta's customer service window: free-form messages are allowed this long after the customer's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** What an agent's answer changes on its conversation (communications writes it; agents only decide it). */
export interface AgentEffects {
  conversationId: string;
  contactId: string;
  /** Replaces `conversation.bot_state`. */
  botState: Record<string, unknown>;
  addLabels?: string[];
  /** Pauses the bot and flags the conversation for a person. */
  handoff: boolean;
  /** Why (e.g. `customer_request`): carried by the `handoff` event, so integrations can tell the agents. */
  handoffReason?: string;
  /** An interest classification of the burst: set on those inbound messages and on the contact. */
  interest?: { value: string; messageIds: string[] };
}

/** The handoff event's `reason` ($5), when the agent gave one. */
const HANDOFF_REASON = `CASE WHEN reasons.change = 'handoff' AND $5::text IS NOT NULL THEN jsonb_build_object('reason', $5::text) ELSE '{}'::jsonb END`;

/** Owns conversation rows: one per (account, contact), reopened when the customer writes again. */
@Injectable()
export class ConversationsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findOrCreate(
    organizationId: string,
    whatsappAccountId: string,
    contactId: string,
    manager: EntityManager = this.dataSource.manager,
    options: { lock?: boolean } = {},
  ): Promise<Conversation> {
    const repo = manager.getRepository(Conversation);
    // `lock`: the row stays locked until the caller's transaction ends, serialising work on one conversation.
    const find = () => repo.findOne({ where: { whatsappAccountId, contactId }, ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    // Most messages belong to an existing conversation: one read, no insert attempt.
    const existing = await find();
    if (existing) return existing;
    // conversation.created is written by the same statement, only when this call made the row.
    await manager.query(
      `WITH created AS (
         INSERT INTO conversation (organization_id, whatsapp_account_id, contact_id) VALUES ($1, $2, $3)
         ON CONFLICT (whatsapp_account_id, contact_id) DO NOTHING RETURNING *)
       ${conversationEventsSql('created', 'conversation.created')}`,
      [organizationId, whatsappAccountId, contactId],
    );
    const created = await find();
    if (!created) throw new Error(`conversation for ${contactId} vanished after insert`);
    return created;
  }

  /**
   * An inbound message: unread +1, last activity and the 24-hour window move forward only
   * (an older message arriving late never shortens them), and a closed conversation reopens.
   */
  async recordOutbound(conversationId: string, occurredAt: Date, preview: string | null, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `UPDATE conversation SET
         last_message_preview = CASE WHEN last_message_at IS NULL OR $2 >= last_message_at THEN $3 ELSE last_message_preview END,
         last_message_at = GREATEST(COALESCE(last_message_at, $2), $2), updated_at = now()
       WHERE id = $1`,
      [conversationId, occurredAt, preview?.slice(0, 200) ?? null],
    );
  }

  isWindowOpen(conversation: Pick<Conversation, 'windowExpiresAt'>, now = new Date()): boolean {
    return Boolean(conversation.windowExpiresAt && conversation.windowExpiresAt.getTime() > now.getTime());
  }

  /**
   * In the caller's transaction, so the agent run's own record commits with these changes or not at all. The same
   * statement writes a `conversation.updated` per kind of change that happened: `handoff`, `labels`, `flow_state`.
   */
  async applyAgentEffects(effects: AgentEffects, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `WITH before AS (
         SELECT id AS before_id, labels AS old_labels, bot_paused AS old_paused,
                bot_state -> 'flow' ->> 'flowId' AS old_flow_id, bot_state -> 'flow' ->> 'current' AS old_flow_state
           FROM conversation WHERE id = $1 FOR UPDATE),
       changed AS (
         UPDATE conversation SET
           bot_state = $2::jsonb,
           labels = ARRAY(SELECT DISTINCT unnest(labels || $3::text[])),
           bot_paused = bot_paused OR $4,
           bot_paused_at = CASE WHEN $4 THEN COALESCE(bot_paused_at, now()) ELSE bot_paused_at END,
           handoff_requested_at = CASE WHEN $4 THEN COALESCE(handoff_requested_at, now()) ELSE handoff_requested_at END,
           updated_at = now()
          FROM before WHERE id = before_id
         RETURNING conversation.*, old_labels, old_paused, old_flow_id, old_flow_state),
       reasons AS (
         SELECT changed.*, r.change FROM changed CROSS JOIN LATERAL (VALUES
           (${changeLiteral('handoff')}, bot_paused AND NOT old_paused),
           (${changeLiteral('labels')}, NOT (labels @> old_labels AND old_labels @> labels)),
           (${changeLiteral('flow_state')}, (bot_state -> 'flow' ->> 'flowId', bot_state -> 'flow' ->> 'current') IS DISTINCT FROM (old_flow_id, old_flow_state))
         ) AS r(change, happened) WHERE r.happened)
       ${conversationEventsSql('reasons', 'conversation.updated', { change: 'reasons.change', extra: HANDOFF_REASON })}`,
      [effects.conversationId, JSON.stringify(effects.botState), effects.addLabels ?? [], effects.handoff, effects.handoffReason ?? null],
    );
    if (!effects.interest) return;
    await manager.query(`UPDATE message SET interest = $2 WHERE id = ANY($1::uuid[])`, [effects.interest.messageIds, effects.interest.value]);
    await manager.query(`UPDATE contact SET interest = $2, updated_at = now() WHERE id = $1`, [effects.contactId, effects.interest.value]);
  }
}
