import { Module } from '@nestjs/common';

/** Webhook ingress: verification, durable storage, enqueueing; failed-event admin routes. */
@Module({})
export class WebhooksModule {}
