import { Module, type OnModuleInit } from '@nestjs/common';
import { JobName } from '../../queues/job-names';
import { JobHandlers } from '../../queues/worker/job-handlers.service';
import { OutboundCoreModule } from '../communications/outbound/outbound-core.module';
import { AgentsCoreModule } from './agents-core.module';
import { AgentRunner } from './runtime/agent-runner.service';
import { UnansweredSweeper } from './runtime/unanswered-sweeper.service';

/** The auto-reply job handler: `agents.run {conversationId}` → route the burst, send, apply side effects; and its sweep. */
@Module({ imports: [AgentsCoreModule, OutboundCoreModule], providers: [AgentRunner, UnansweredSweeper] })
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
