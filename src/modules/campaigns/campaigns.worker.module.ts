import { Module, type OnModuleInit } from '@nestjs/common';
import { JobName } from '../../queues/job-names';
import { delayJob } from '../../queues/worker/delay-job';
import { JobHandlers } from '../../queues/worker/job-handlers.service';
import { CampaignJobs } from './campaign-jobs.service';
import { CampaignRunner } from './campaign-runner.service';
import { CampaignsModule } from './campaigns.module';

/** The campaign runner and the sweep that gives every live campaign a runner again after Redis lost it. */
@Module({ imports: [CampaignsModule] })
export class CampaignsWorkerModule implements OnModuleInit {
  constructor(
    private readonly handlers: JobHandlers,
    private readonly runner: CampaignRunner,
    private readonly jobs: CampaignJobs,
  ) {}

  onModuleInit(): void {
    this.handlers.register(JobName.RunCampaign, (job, token) => this.runner.run(job.data.campaignId, (at) => delayJob(job, token, at)));
    this.handlers.register(JobName.SweepCampaigns, () => this.jobs.sweep());
  }
}
