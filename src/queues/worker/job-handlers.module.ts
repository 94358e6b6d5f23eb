import { Global, Module } from '@nestjs/common';
import { JobHandlers } from './job-handlers.service';

@Global()
@Module({ providers: [JobHandlers], exports: [JobHandlers] })
export class JobHandlersModule {}
