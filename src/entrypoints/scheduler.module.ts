import { Module } from '@nestjs/common';
import { SchedulerService } from '../modules/maintenance/scheduler.service';

/** Registers BullMQ job schedulers (deduplicated across replicas); it never runs jobs itself. */
@Module({ providers: [SchedulerService] })
export class SchedulerModule {}
