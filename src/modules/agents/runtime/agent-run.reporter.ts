import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { AgentRunOutcome } from '../../../database/entities/enums';
import { MetricsService } from '../../metrics/metrics.service';
import { RealtimePublisher } from '../../realtime/realtime.publisher';
import type { RoutingResult } from '../engine/agent-registry';
import { type AgentRun, outcomeOf, type SentReplies } from './agent-run.store';

/** One log line and the metrics per run outcome; a handoff is also pushed to the dashboard. */
@Injectable()
export class AgentRunReporter {
  private readonly logger: Logger;
  private readonly runs;
  private readonly duration;

  constructor(
    private readonly realtime: RealtimePublisher,
    metrics: MetricsService,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ module: 'agents' });
    this.runs = metrics.counter('conversa_agent_runs_total', 'Agent runs by outcome and answering agent', ['outcome', 'agent']);
    this.duration = metrics.histogram('conversa_agent_run_duration_seconds', 'Agent run duration (lock to side effects)', ['outcome'], [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  }

  skipped(run: AgentRun, reason: string): void {
    const { conversation } = run.turn;
    this.runs.inc({ outcome: AgentRunOutcome.Skipped, agent: 'none' });
    this.logger.info({ conversationId: conversation.id, organizationId: conversation.organizationId, runId: run.id, reason }, 'agent run skipped');
  }

  refused(run: AgentRun, agent: string, code: string): void {
    this.logger.warn({ conversationId: run.turn.conversation.id, runId: run.id, agent, code }, 'agent reply refused by the send pipeline');
  }

  async done(run: AgentRun, result: RoutingResult, sent: SentReplies): Promise<AgentRunOutcome> {
    const { conversation, burst } = run.turn;
    const handoff = result.reply.sideEffects?.handoff;
    const outcome = outcomeOf(result, sent);
    const latencyMs = Date.now() - run.started;
    const ids = { conversationId: conversation.id, organizationId: conversation.organizationId, runId: run.id, agent: result.agent };
    this.runs.inc({ outcome, agent: result.agent });
    this.duration.observe({ outcome }, latencyMs / 1000);
    this.logger.info(
      { ...ids, confidence: result.confidence, outcome, replies: sent.ids.length, burst: burst.length, unsure: result.unsure, llm: result.llm, isAi: sent.isAi, latencyMs },
      'agent run',
    );
    if (handoff) {
      this.logger.info({ ...ids, reason: handoff.reason }, 'agent handoff: bot paused, conversation flagged for a person');
      await this.realtime.publish(conversation.organizationId, { type: 'conversation.updated', conversationId: conversation.id, reason: 'handoff' });
    }
    return outcome;
  }
}
