import { Module, type OnModuleInit } from '@nestjs/common';
import { JobName } from '../../queues/job-names';
import { JobHandlers } from '../../queues/worker/job-handlers.service';
import { CommunicationsModule } from './communications.module';
import { MediaDownloadsService } from './inbound/media-downloads.service';

/** Communications' own jobs that are not part of the send pipeline: inbound media downloads. */
@Module({ imports: [CommunicationsModule] })
export class CommunicationsWorkerModule implements OnModuleInit {
  constructor(
    private readonly handlers: JobHandlers,
    private readonly media: MediaDownloadsService,
  ) {}

  onModuleInit(): void {
    this.handlers.register(JobName.DownloadMedia, (job) => this.media.download(job.data.mediaAssetId));
  }
}
