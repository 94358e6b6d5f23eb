/**
 * Lifecycle: per-organisation retention policies and their audit, legal holds, the conversation action log, one
 * pre-aggregated row per conversation cycle and their daily rollups (counts and duration histograms), and an index
 * of template sends for the templates report.
 */
import { MigrationInterface, QueryRunner } from "typeorm";

export class Lifecycle1796530127489 implements MigrationInterface {
    name = 'Lifecycle1796530127489'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "analytics_cycle" ("conversation_id" uuid NOT NULL, "cycle" integer NOT NULL, "organization_id" uuid NOT NULL, "whatsapp_account_id" uuid NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "first_bot_reply_at" TIMESTAMP WITH TIME ZONE, "handoff_at" TIMESTAMP WITH TIME ZONE, "first_human_reply_at" TIMESTAMP WITH TIME ZONE, "resolved_at" TIMESTAMP WITH TIME ZONE, "agent_user_id" uuid, "labels" text array NOT NULL DEFAULT '{}', "inbound_count" integer NOT NULL DEFAULT '0', "outbound_count" integer NOT NULL DEFAULT '0', "human_replies" integer NOT NULL DEFAULT '0', "first_response_seconds" integer, "first_response_business_seconds" integer, "resolution_seconds" integer, "resolution_business_seconds" integer, "auto_resolved" boolean NOT NULL DEFAULT false, "window_expired" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_78f18e1aecf6ad786951c80a5d0" PRIMARY KEY ("conversation_id", "cycle"))`);
        await queryRunner.query(`CREATE INDEX "idx_analytics_cycle_org_opened" ON "analytics_cycle"  ("organization_id", "opened_at") `);
        await queryRunner.query(`CREATE TABLE "analytics_daily" ("organization_id" uuid NOT NULL, "day" date NOT NULL, "whatsapp_account_id" uuid NOT NULL, "agent_key" uuid NOT NULL, "label" character varying(100) NOT NULL, "opened" integer NOT NULL DEFAULT '0', "resolved" integer NOT NULL DEFAULT '0', "auto_resolved" integer NOT NULL DEFAULT '0', "handoffs" integer NOT NULL DEFAULT '0', "window_expired" integer NOT NULL DEFAULT '0', "inbound" integer NOT NULL DEFAULT '0', "outbound" integer NOT NULL DEFAULT '0', "human_replies" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_6d51e65a026ba419393bf4b5d42" PRIMARY KEY ("organization_id", "day", "whatsapp_account_id", "agent_key", "label"))`);
        await queryRunner.query(`CREATE TABLE "analytics_daily_duration" ("organization_id" uuid NOT NULL, "day" date NOT NULL, "whatsapp_account_id" uuid NOT NULL, "agent_key" uuid NOT NULL, "label" character varying(100) NOT NULL, "metric" smallint NOT NULL, "seconds" integer NOT NULL, "cycles" integer NOT NULL, CONSTRAINT "PK_b0b985e4f4092bb99134ef84cfe" PRIMARY KEY ("organization_id", "day", "whatsapp_account_id", "agent_key", "label", "metric", "seconds"))`);
        await queryRunner.query(`CREATE TABLE "analytics_milestone" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "conversation_id" uuid NOT NULL, "kind" character varying(32) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "user_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f631c2b413fe2968bda3f86ecba" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_analytics_milestone_created" ON "analytics_milestone"  ("created_at") `);
        await queryRunner.query(`CREATE INDEX "idx_analytics_milestone_conversation" ON "analytics_milestone"  ("conversation_id", "occurred_at") `);
        await queryRunner.query(`CREATE TABLE "legal_hold" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "organization_id" uuid NOT NULL, "contact_id" uuid, "conversation_id" uuid, "reason" character varying(500), CONSTRAINT "PK_edcd499db1f1c67a56c565c5e64" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_legal_hold_conversation" ON "legal_hold"  ("organization_id", "conversation_id") WHERE conversation_id IS NOT NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_legal_hold_contact" ON "legal_hold"  ("organization_id", "contact_id") WHERE contact_id IS NOT NULL`);
        await queryRunner.query(`CREATE TABLE "retention_policy" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "organization_id" uuid NOT NULL, "message_body_days" integer, "media_days" integer, "webhook_event_days" integer, "agent_run_days" integer, "closed_conversation_days" integer, "campaign_recipient_days" integer, CONSTRAINT "PK_4e113cd29b4039d30d5d6e1a43a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_retention_policy_organization" ON "retention_policy"  ("organization_id") `);
        await queryRunner.query(`CREATE TABLE "retention_run" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "organization_id" uuid NOT NULL, "trigger" character varying(16) NOT NULL, "dry_run" boolean NOT NULL DEFAULT false, "as_of" TIMESTAMP WITH TIME ZONE NOT NULL, "policy" jsonb NOT NULL, "removed" jsonb NOT NULL DEFAULT '{}', "status" character varying(16) NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_6ca0ca7552b6832d70c9c95a57d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_retention_run_org_created" ON "retention_run"  ("organization_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "idx_message_template_sends" ON "message"  ("organization_id", "created_at") WHERE template_name IS NOT NULL AND direction = 'outbound'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_message_template_sends"`);
        await queryRunner.query(`DROP INDEX "public"."idx_retention_run_org_created"`);
        await queryRunner.query(`DROP TABLE "retention_run"`);
        await queryRunner.query(`DROP INDEX "public"."uq_retention_policy_organization"`);
        await queryRunner.query(`DROP TABLE "retention_policy"`);
        await queryRunner.query(`DROP INDEX "public"."uq_legal_hold_contact"`);
        await queryRunner.query(`DROP INDEX "public"."uq_legal_hold_conversation"`);
        await queryRunner.query(`DROP TABLE "legal_hold"`);
        await queryRunner.query(`DROP INDEX "public"."idx_analytics_milestone_conversation"`);
        await queryRunner.query(`DROP INDEX "public"."idx_analytics_milestone_created"`);
        await queryRunner.query(`DROP TABLE "analytics_milestone"`);
        await queryRunner.query(`DROP TABLE "analytics_daily_duration"`);
        await queryRunner.query(`DROP TABLE "analytics_daily"`);
        await queryRunner.query(`DROP INDEX "public"."idx_analytics_cycle_org_opened"`);
        await queryRunner.query(`DROP TABLE "analytics_cycle"`);
    }

}
