import { Module, type OnModuleInit } from '@nestjs/common';
import { JobName } from '../../../queues/job-names';
import { JobHandlers } from '../../../queues/worker/job-handlers.service';
import { MessageSender } from './message-sender.service';
import { OutboundCoreModule } from './outbound-core.module';
import { QueuedSweeper } from './queued-sweeper.service';

/** Send and queued-message sweep handlers. */
@Module({ imports: [OutboundCoreModule] })
export class OutboundWorkerModule implements OnModuleInit {
  constructor(
    private readonly handlers: JobHandlers,
    private readonly sender: MessageSender,
    private readonly sweeper: QueuedSweeper,
  ) {}

  onModuleInit(): void {
    this.handlers.register(JobName.SendMessage, (job, token) => this.sender.handle(job, token));
    this.handlers.register(JobName.SweepQueuedMessages, () => this.sweeper.sweep());
  }
}
