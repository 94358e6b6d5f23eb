import { Module } from '@nestjs/common';
import { RealtimeSseController } from './realtime-sse.controller';
import { RealtimeSubscriber } from './realtime.subscriber';

/** The api role's SSE endpoint and its single Redis subscriber. */
@Module({ controllers: [RealtimeSseController], providers: [RealtimeSubscriber], exports: [RealtimeSubscriber] })
export class RealtimeSseModule {}
