import { Module } from '@nestjs/common';
import { BulkSendController } from './bulk-send.controller';
import { CampaignsController } from './campaigns.controller';
import { CampaignsModule } from './campaigns.module';

/** `/api/v1/campaigns`, and the bulk-send API kept over it (`/messages/bulk`, `/jobs/:id`). */
@Module({
  imports: [CampaignsModule],
  controllers: [CampaignsController, BulkSendController],
})
export class CampaignsApiModule {}
