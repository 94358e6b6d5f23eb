import { MigrationInterface, QueryRunner } from "typeorm";

export class ChatwootInbound1796587521439 implements MigrationInterface {
    name = 'ChatwootInbound1796587521439'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "chatwoot_integration" ADD "callback_secret_encrypted" text`);
        await queryRunner.query(`ALTER TABLE "chatwoot_integration" ADD "fallback_template" jsonb`);
        await queryRunner.query(`ALTER TABLE "chatwoot_integration" ADD "resume_bot_on_resolve" boolean NOT NULL DEFAULT false`);
        await queryRunner.query(`CREATE TABLE "chatwoot_inbound_event" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "organization_id" uuid NOT NULL, "integration_id" uuid NOT NULL, "event_key" character varying(200) NOT NULL, "event_type" character varying(64) NOT NULL, "payload" jsonb NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'received', "outcome" character varying(64), "attempts" integer NOT NULL DEFAULT '0', "error" character varying(500), CONSTRAINT "PK_chatwoot_inbound_event" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_chatwoot_inbound_event" ON "chatwoot_inbound_event"  ("integration_id", "event_key") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."uq_chatwoot_inbound_event"`);
        await queryRunner.query(`DROP TABLE "chatwoot_inbound_event"`);
        await queryRunner.query(`ALTER TABLE "chatwoot_integration" DROP COLUMN "resume_bot_on_resolve"`);
        await queryRunner.query(`ALTER TABLE "chatwoot_integration" DROP COLUMN "fallback_template"`);
        await queryRunner.query(`ALTER TABLE "chatwoot_integration" DROP COLUMN "callback_secret_encrypted"`);
    }

}
