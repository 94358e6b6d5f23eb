import { BullModule } from '@nestjs/bullmq';
import type { ConnectionOptions } from 'bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobProducer } from './job-producer.service';
import { ALL_QUEUES } from './queue-names';
import { QUEUE_CONNECTION, QueueConnectionModule } from './redis-connection';

/** Queue producers (no workers): safe for every role. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      imports: [QueueConnectionModule],
      inject: [AppConfig, QUEUE_CONNECTION],
      useFactory: (config: AppConfig, connection: ConnectionOptions) => ({ connection, prefix: config.QUEUE_PREFIX }),
    }),
    BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
  ],
  providers: [JobProducer],
  exports: [JobProducer, BullModule],
})
export class QueuesModule {}
