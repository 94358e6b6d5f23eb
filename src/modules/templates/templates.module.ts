import { Module } from '@nestjs/common';

/** Templates API: CRUD, preview, submit, sync, default sets. */
@Module({})
export class TemplatesModule {}
