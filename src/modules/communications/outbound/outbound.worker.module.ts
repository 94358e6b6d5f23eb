import { Module, type OnModuleInit } from '@nestjs/common';
import { JobName } from '../../../queues/job-names';
import { delayJob } from '../../../queues/worker/delay-job';
import { JobHandlers } from '../../../queues/worker/job-handlers.service';
import { BulkFanOutService } from './bulk-fan-out.service';
import { MessageSender } from './message-sender.service';
import { OutboundCoreModule } from './outbound-core.module';
import { QueuedSweeper } from './queued-sweeper.service';

/** Send, fan-out and queued-message sweep handlers. */
@Module({ imports: [OutboundCoreModule] })
export class OutboundWorkerModule implements OnModuleInit {
  constructor(
    private readonly handlers: JobHandlers,
    private readonly sender: MessageSender,
    private readonly fanOut: BulkFanOutService,
    private readonly sweeper: QueuedSweeper,
  ) {}

  onModuleInit(): void {
    this.handlers.register(JobName.SendMessage, (job, token) => this.sender.handle(job, token));
    this.handlers.register(JobName.FanOutBulkSend, (job, token) => this.fanOut.fanOut(job.data.campaignId, (at) => delayJob(job, token, at)));
    this.handlers.register(JobName.SweepQueuedMessages, () => this.sweeper.sweep());
  }
}
