import { Module } from '@nestjs/common';

/** Webhook event processing, sweeps and retention. */
@Module({})
export class WebhooksWorkerModule {}
