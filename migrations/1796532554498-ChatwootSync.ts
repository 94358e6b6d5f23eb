import { MigrationInterface, QueryRunner } from "typeorm";

export class ChatwootSync1796532554498 implements MigrationInterface {
    name = 'ChatwootSync1796532554498'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "chatwoot_integration" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "organization_id" uuid NOT NULL, "base_url" character varying(2048) NOT NULL, "account_id" integer NOT NULL, "inbox_id" integer NOT NULL, "api_access_token_encrypted" text NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "last_synced_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_cc4633edd547cf3f28f4b78eac4" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_chatwoot_integration_org" ON "chatwoot_integration"  ("organization_id") `);
        await queryRunner.query(`CREATE TABLE "chatwoot_link" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "integration_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "local_id" uuid NOT NULL, "remote_id" bigint NOT NULL, "source_id" character varying(255), CONSTRAINT "PK_417a089c8177237c56d0aa7d57c" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_chatwoot_link_local" ON "chatwoot_link"  ("integration_id", "kind", "local_id") `);
        await queryRunner.query(`CREATE TABLE "chatwoot_sync_event" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "organization_id" uuid NOT NULL, "integration_id" uuid NOT NULL, "event_id" uuid NOT NULL, "event_type" character varying(64) NOT NULL, "event_seq" bigint NOT NULL, "conversation_id" uuid, "status" character varying(16) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "error" character varying(500), CONSTRAINT "PK_acc74f6e63d2962f0b4164b931d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_chatwoot_sync_event_pending" ON "chatwoot_sync_event"  ("integration_id", "conversation_id", "event_seq") WHERE status = 'pending'`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_chatwoot_sync_event" ON "chatwoot_sync_event"  ("integration_id", "event_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."uq_chatwoot_sync_event"`);
        await queryRunner.query(`DROP INDEX "public"."idx_chatwoot_sync_event_pending"`);
        await queryRunner.query(`DROP TABLE "chatwoot_sync_event"`);
        await queryRunner.query(`DROP INDEX "public"."uq_chatwoot_link_local"`);
        await queryRunner.query(`DROP TABLE "chatwoot_link"`);
        await queryRunner.query(`DROP INDEX "public"."uq_chatwoot_integration_org"`);
        await queryRunner.query(`DROP TABLE "chatwoot_integration"`);
    }

}
