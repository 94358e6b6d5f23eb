import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Saved replies for the inbox composer (`/shortcut`), one set per organisation. */
export class QuickReplies1796587350116 implements MigrationInterface {
  name = 'QuickReplies1796587350116';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "quick_reply" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "organization_id" uuid NOT NULL, "shortcut" character varying(32) NOT NULL, "body" text NOT NULL, CONSTRAINT "PK_adbfcaa267e76e66034b477e247" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_quick_reply_shortcut" ON "quick_reply" ("organization_id", lower("shortcut"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "quick_reply"`);
  }
}
