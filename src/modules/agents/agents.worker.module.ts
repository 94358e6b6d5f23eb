import { Module, type OnModuleInit } from '@nestjs/common';
import type { RedisClient } from '../../common/redis/redis-client';
import { REDIS } from '../../common/redis/redis.module';
import { AppConfig } from '../../config/app-config';
import { JobName } from '../../queues/job-names';
import { JobHandlers } from '../../queues/worker/job-handlers.service';
import { CommunicationsModule } from '../communications/communications.module';
import { OutboundCoreModule } from '../communications/outbound/outbound-core.module';
import { AgentsCoreModule } from './agents-core.module';
import { AgentRunReporter } from './runtime/agent-run.reporter';
import { AgentRunStore } from './runtime/agent-run.store';
import { AgentRunner } from './runtime/agent-runner.service';
import { UnansweredSweeper } from './runtime/unanswered-sweeper.service';
import { ConversationLock } from './runtime/conversation-lock';

const conversationLock = {
  provide: ConversationLock,
  inject: [REDIS, AppConfig],
  // Half the job lock: a killed worker's conversation lock has expired before BullMQ can see its job stalled.
  useFactory: (redis: RedisClient, config: AppConfig) => new ConversationLock(redis, config.QUEUE_PREFIX, config.WORKER_STALLED_INTERVAL_MS / 2),
};

/** The auto-reply job handler: `agents.run {conversationId}` → load the turn, route it, hand the replies to the send pipeline; and its sweep. */
@Module({ imports: [AgentsCoreModule, CommunicationsModule, OutboundCoreModule], providers: [conversationLock, AgentRunStore, AgentRunReporter, AgentRunner, UnansweredSweeper] })
export class AgentsWorkerModule implements OnModuleInit {
  constructor(
    private readonly handlers: JobHandlers,
    private readonly runner: AgentRunner,
    private readonly sweeper: UnansweredSweeper,
  ) {}

  onModuleInit(): void {
    this.handlers.register(JobName.RunAgents, (job) => this.runner.run(job.data.conversationId));
    this.handlers.register(JobName.SweepUnansweredConversations, () => this.sweeper.sweep());
  }
}
