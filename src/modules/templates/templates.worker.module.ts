import { Module } from '@nestjs/common';

/** Template sync handlers. */
@Module({})
export class TemplatesWorkerModule {}
