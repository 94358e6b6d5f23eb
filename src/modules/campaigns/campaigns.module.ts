import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Campaign } from '../../database/entities/campaign.entity';
import { CampaignRecipient } from '../../database/entities/campaign-recipient.entity';
import { OutboundCoreModule } from '../communications/outbound/outbound-core.module';
import { WhatsappModule } from '../whatsapp/whatsapp.module';
import { BulkSendService } from './bulk-send.service';
import { CampaignAbTest } from './campaign-ab-test.service';
import { CampaignAudience } from './campaign-audience.service';
import { CampaignClock } from './campaign-clock';
import { CampaignJobs } from './campaign-jobs.service';
import { CampaignLifecycle } from './campaign-lifecycle.service';
import { CampaignRecipientsStore } from './campaign-recipients.store';
import { CampaignRunner } from './campaign-runner.service';
import { CampaignTierReach } from './campaign-tier-reach';
import { CampaignStats } from './campaign-stats.service';
import { CampaignsService } from './campaigns.service';

const SERVICES = [BulkSendService, CampaignAbTest, CampaignAudience, CampaignClock, CampaignJobs, CampaignLifecycle, CampaignRecipientsStore, CampaignRunner, CampaignStats, CampaignsService, CampaignTierReach];

/** Campaigns' services, shared by the API and worker modules (no controllers, no handlers). */
@Module({
  imports: [TypeOrmModule.forFeature([Campaign, CampaignRecipient]), OutboundCoreModule, WhatsappModule],
  providers: SERVICES,
  exports: SERVICES,
})
export class CampaignsModule {}
