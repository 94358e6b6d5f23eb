import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RealtimeSseController } from './realtime-sse.controller';
import { RealtimeSubscriber } from './realtime.subscriber';

/** The api role's SSE endpoint (and its tickets) and its single Redis subscriber. */
@Module({ imports: [AuthModule], controllers: [RealtimeSseController], providers: [RealtimeSubscriber], exports: [RealtimeSubscriber] })
export class RealtimeSseModule {}
