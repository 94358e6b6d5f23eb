import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WhatsappAccount } from '../../database/entities/whatsapp-account.entity';
import { WhatsappAccountsController } from './accounts/whatsapp-accounts.controller';
import { SandboxController } from './sandbox/sandbox.controller';
import { SandboxService } from './sandbox/sandbox.service';
import { SandboxSimulatorProvider } from './sandbox/sandbox-simulator.provider';
import { WhatsappModule } from './whatsapp.module';

/** HTTP side of the module: the accounts API and the sandbox (simulated Graph API + controls). */
@Module({
  imports: [WhatsappModule, TypeOrmModule.forFeature([WhatsappAccount])],
  controllers: [WhatsappAccountsController, SandboxController],
  providers: [SandboxSimulatorProvider, SandboxService],
})
export class WhatsappApiModule {}
