import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { ASYNC_COMMIT } from '../../../database/async-commit';
import { AgentRunOutcome } from '../../../database/entities/enums';
import { ConversationsService } from '../../communications/conversations/conversations.service';
import type { RoutingResult } from '../engine/agent-registry';
import type { Turn } from './turn-loader';

/** A run row inserted but not finished yet; a retried job resumes it (same run id → same idempotency keys). */
const IN_PROGRESS = 'in_progress';

/** One claimed run of a turn. */
export interface AgentRun {
  id: string;
  turn: Turn;
  started: number;
}

/** What the send pipeline accepted (message ids, in order) and refused (`CODE: message`). */
export interface SentReplies {
  ids: string[];
  errors: string[];
  isAi: boolean;
}

export function outcomeOf(result: RoutingResult, sent: SentReplies): AgentRunOutcome {
  if (result.reply.sideEffects?.handoff) return AgentRunOutcome.Handoff;
  if (sent.ids.length > 0) return AgentRunOutcome.Replied;
  return sent.errors.length > 0 ? AgentRunOutcome.Failed : AgentRunOutcome.NoReply;
}

/** The `agent_run` rows (agents' own table); the conversation's changes go through communications. */
@Injectable()
export class AgentRunStore {
  private readonly logger: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly conversations: ConversationsService,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ module: 'agents' });
  }

  /**
   * Inserts the run FIRST, keyed by conversation + newest inbound message: a replayed webhook or a
   * retried job finds the row and sends nothing again. A row left `in_progress`/`failed` by a crashed
   * or failed attempt is resumed with the same id, so its idempotency keys dedupe any reply already queued.
   */
  async claim(turn: Turn): Promise<string | undefined> {
    const { conversation } = turn;
    const latestMessageId = turn.burst[turn.burst.length - 1].id;
    const triggerKey = `${conversation.id}:${latestMessageId}`;
    const inserted = (await this.dataSource.query(
      // Asynchronous commit: if this row is lost in a crash no reply was sent either (the reply's own
      // synchronous commit would have flushed it), so the retried job simply claims again.
      `${ASYNC_COMMIT} INSERT INTO agent_run (organization_id, conversation_id, message_id, trigger_key, outcome, error, inbound_at)
       SELECT $1, $2, $3, $4, 'failed', '${IN_PROGRESS}', (SELECT created_at FROM message WHERE id = $3) FROM async_commit
       ON CONFLICT (trigger_key) DO NOTHING RETURNING id`,
      [conversation.organizationId, conversation.id, latestMessageId, triggerKey],
    )) as Array<{ id: string }>;
    if (inserted[0]) return inserted[0].id;
    const [existing] = (await this.dataSource.query(`SELECT id, outcome FROM agent_run WHERE trigger_key = $1`, [triggerKey])) as Array<{ id: string; outcome: string }>;
    if (existing?.outcome === AgentRunOutcome.Failed) {
      this.logger.info({ conversationId: conversation.id, runId: existing.id }, 'agent run resumed');
      return existing.id;
    }
    return undefined;
  }

  async skipped(run: AgentRun, reason: string): Promise<void> {
    await this.dataSource.query(
      `${ASYNC_COMMIT} UPDATE agent_run SET outcome = 'skipped', error = $2, latency_ms = $3, agent_name = NULL WHERE id = $1 AND EXISTS (SELECT 1 FROM async_commit)`,
      [run.id, reason, Date.now() - run.started],
    );
  }

  /** The conversation's changes (bot state, labels, handoff, interest) and the run's record commit together. */
  async finish(run: AgentRun, result: RoutingResult, sent: SentReplies): Promise<void> {
    const { conversation, burst } = run.turn;
    const effects = result.reply.sideEffects ?? {};
    await this.dataSource.transaction(async (db) => {
      await this.conversations.applyAgentEffects(
        {
          conversationId: conversation.id,
          contactId: conversation.contactId,
          botState: effects.botState ?? conversation.botState ?? {},
          addLabels: effects.addLabels,
          handoff: Boolean(effects.handoff),
          handoffReason: effects.handoff?.reason,
          ...(effects.interest ? { interest: { value: effects.interest, messageIds: burst.map((message) => message.id) } } : {}),
        },
        db,
      );
      await db.query(
        `UPDATE agent_run SET agent_name = $2, confidence = $3, scores = $4::jsonb, latency_ms = $5, outcome = $6::agent_run_outcome,
                reply_message_ids = $7::uuid[], is_ai = $8, error = $9 WHERE id = $1`,
        [run.id, result.agent, result.confidence, JSON.stringify(result.scores), Date.now() - run.started, outcomeOf(result, sent), sent.ids, sent.isAi, errorText(sent)],
      );
    });
  }
}

function errorText(sent: SentReplies): string | null {
  return sent.errors.length > 0 ? sent.errors.join('; ').slice(0, 2000) : null;
}
