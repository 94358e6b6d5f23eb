import { Injectable } from '@nestjs/common';
import type { AgentRunOutcome } from '../../../database/entities/enums';
import { detectOptKeyword } from '../../communications/contacts/opt-keyword';
import { SendMessageService } from '../../communications/outbound/send-message.service';
import { AgentFlowsService } from '../config/agent-flows.service';
import type { RoutingResult } from '../engine/agent-registry';
import { AgentEngine } from './agent-engine.service';
import { type AgentRun, AgentRunStore, type SentReplies } from './agent-run.store';
import { AgentRunReporter } from './agent-run.reporter';
import { ConversationLock } from './conversation-lock';
import { toSendDto } from './reply-mapping';
import { type Turn, TurnLoader } from './turn-loader';

export type RunSummary =
  | { status: 'nothing_new' | 'not_found' | 'duplicate'; conversationId: string; runId?: string }
  | { status: 'skipped'; conversationId: string; runId: string; reason: string }
  | { status: 'done'; conversationId: string; runId: string; outcome: AgentRunOutcome; agent: string; replies: number };

/** Handles `agents.run {conversationId}`: one burst of inbound messages → at most one routed answer. */
@Injectable()
export class AgentRunner {
  constructor(
    private readonly lock: ConversationLock,
    private readonly turns: TurnLoader,
    private readonly runs: AgentRunStore,
    private readonly flows: AgentFlowsService,
    private readonly engine: AgentEngine,
    private readonly sender: SendMessageService,
    private readonly reporter: AgentRunReporter,
  ) {}

  /** Never two runs for one conversation at once (a Redis lock: no database connection is held while waiting or routing). */
  async run(conversationId: string): Promise<RunSummary> {
    return this.lock.withLock(conversationId, () => this.runLocked(conversationId));
  }

  private async runLocked(conversationId: string): Promise<RunSummary> {
    const started = Date.now();
    const turn = await this.turns.load(conversationId);
    if (!turn) return { status: 'not_found', conversationId };
    if (turn.burst.length === 0) return { status: 'nothing_new', conversationId };
    const runId = await this.runs.claim(turn);
    if (!runId) return { status: 'duplicate', conversationId };
    const run: AgentRun = { id: runId, turn, started };

    const skip = skipReason(turn);
    if (skip) return this.skip(run, skip);
    const result = await this.engine.route(await this.turns.context(turn), await this.flows.active(turn.conversation.organizationId));
    if (result.skipped) return this.skip(run, result.skipped);

    const sent = await this.sendReplies(run, result);
    await this.runs.finish(run, result, sent);
    const outcome = await this.reporter.done(run, result, sent);
    return { status: 'done', conversationId, runId, outcome, agent: result.agent, replies: sent.ids.length };
  }

  /** Through the send pipeline, which keeps the parts in order; a part it refuses is reported, not retried. */
  private async sendReplies(run: AgentRun, result: RoutingResult): Promise<SentReplies> {
    const { conversation } = run.turn;
    const isAi = result.reply.messages.some((message) => 'isAi' in message && message.isAi === true);
    const metadata = { agentName: result.agent, confidence: result.confidence, isAi, runId: run.id };
    const parts = result.reply.messages.map((reply, index) => ({ dto: toSendDto(conversation.id, reply, metadata), idempotencyKey: `agent:${run.id}:${index}` }));
    const outcomes = await this.sender.sendInOrder(conversation.organizationId, parts, { agentName: result.agent, confidence: result.confidence, isAi });
    const sent: SentReplies = { ids: [], errors: [], isAi };
    for (const outcome of outcomes) {
      if ('id' in outcome) {
        sent.ids.push(outcome.id);
      } else {
        sent.errors.push(`${outcome.error.code}: ${outcome.error.message}`);
        this.reporter.refused(run, result.agent, outcome.error.code);
      }
    }
    return sent;
  }

  private async skip(run: AgentRun, reason: string): Promise<RunSummary> {
    await this.runs.skipped(run, reason);
    this.reporter.skipped(run, reason);
    return { status: 'skipped', conversationId: run.turn.conversation.id, runId: run.id, reason };
  }
}

function skipReason(turn: Turn): string | undefined {
  if (turn.conversation.botPaused) return 'bot_paused';
  if (!turn.org.autoRepliesEnabled) return 'organization_auto_replies_disabled';
  if (!turn.account.autoRepliesEnabled) return 'account_auto_replies_disabled';
  // Opting out of marketing (`contact.opted_out_at`) does not stop service replies; this flag stops the bot entirely.
  if (turn.contact.customAttributes?.autoReplies === false) return 'contact_opted_out';
  if (turn.burst.every((message) => detectOptKeyword(message.text) !== null)) return 'opt_keyword';
  return undefined;
}
