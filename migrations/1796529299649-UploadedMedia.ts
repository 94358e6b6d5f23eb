import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Media uploaded for sending belongs to no message (yet): one upload may be sent many times. */
export class UploadedMedia1796529299649 implements MigrationInterface {
  name = 'UploadedMedia1796529299649';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "media_asset" ALTER COLUMN "message_id" DROP NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "media_asset" WHERE "message_id" IS NULL`);
    await queryRunner.query(`ALTER TABLE "media_asset" ALTER COLUMN "message_id" SET NOT NULL`);
  }
}
