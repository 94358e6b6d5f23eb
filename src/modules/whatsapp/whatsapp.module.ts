import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WhatsappAccount } from '../../database/entities/whatsapp-account.entity';
import { WhatsappAccountsService } from './accounts/whatsapp-accounts.service';
import { WhatsappProviders } from './whatsapp-providers.service';

/** Accounts and the provider adapters: the only place that speaks to Meta or Kapso. */
@Module({
  imports: [TypeOrmModule.forFeature([WhatsappAccount])],
  providers: [WhatsappAccountsService, WhatsappProviders],
  exports: [WhatsappAccountsService, WhatsappProviders],
})
export class WhatsappModule {}
