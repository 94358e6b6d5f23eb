import { Module } from '@nestjs/common';
import { AuthModule } from '../modules/auth/auth.module';
import { HealthModule } from '../modules/health/health.module';
import { MetricsController } from '../modules/metrics/metrics.controller';
import { WhatsappModule } from '../modules/whatsapp/whatsapp.module';

/** HTTP: admin API, webhook receiver, health, metrics. Never imports a *.worker.module. */
@Module({
  imports: [AuthModule, HealthModule, WhatsappModule],
  controllers: [MetricsController],
})
export class ApiModule {}
