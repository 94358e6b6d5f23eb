import { MigrationInterface, QueryRunner } from "typeorm";

export class IntegrationsOutbox1796529143686 implements MigrationInterface {
    name = 'IntegrationsOutbox1796529143686'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "outbox_event" ("seq" BIGSERIAL NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "type" character varying(64) NOT NULL, "conversation_id" uuid, "data" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), "dispatched_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_8b2ec32e4ede6bb674633367acb" PRIMARY KEY ("seq"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_outbox_event_id" ON "outbox_event"  ("id") `);
        await queryRunner.query(`CREATE INDEX "idx_outbox_event_org_time" ON "outbox_event"  ("organization_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "idx_outbox_event_undispatched" ON "outbox_event"  ("seq") WHERE dispatched_at IS NULL`);
        await queryRunner.query(`CREATE TYPE "public"."webhook_delivery_status" AS ENUM('pending', 'delivered', 'dead')`);
        await queryRunner.query(`CREATE TABLE "webhook_delivery" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "organization_id" uuid NOT NULL, "endpoint_id" uuid NOT NULL, "event_id" uuid NOT NULL, "event_type" character varying(64) NOT NULL, "status" "public"."webhook_delivery_status" NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "response_code" integer, "latency_ms" integer, "error" character varying(500), "next_attempt_at" TIMESTAMP WITH TIME ZONE, "delivered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b1ae290239a778f12399db91354" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_webhook_delivery_pending" ON "webhook_delivery"  ("next_attempt_at") WHERE status = 'pending'`);
        await queryRunner.query(`CREATE INDEX "idx_webhook_delivery_endpoint" ON "webhook_delivery"  ("endpoint_id", "created_at") `);
        await queryRunner.query(`CREATE TABLE "webhook_endpoint" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "organization_id" uuid NOT NULL, "url" character varying(2048) NOT NULL, "events" character varying(64) array NOT NULL, "description" character varying(500), "secret_encrypted" text NOT NULL, "previous_secret_encrypted" text, "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE, "enabled" boolean NOT NULL DEFAULT true, "disabled_reason" character varying(200), "failing_since" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_6c98112122b2b8a4f3984d2efa8" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_webhook_endpoint_org" ON "webhook_endpoint"  ("organization_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_webhook_endpoint_org"`);
        await queryRunner.query(`DROP TABLE "webhook_endpoint"`);
        await queryRunner.query(`DROP INDEX "public"."idx_webhook_delivery_endpoint"`);
        await queryRunner.query(`DROP INDEX "public"."idx_webhook_delivery_pending"`);
        await queryRunner.query(`DROP TABLE "webhook_delivery"`);
        await queryRunner.query(`DROP TYPE "public"."webhook_delivery_status"`);
        await queryRunner.query(`DROP INDEX "public"."idx_outbox_event_undispatched"`);
        await queryRunner.query(`DROP INDEX "public"."idx_outbox_event_org_time"`);
        await queryRunner.query(`DROP INDEX "public"."uq_outbox_event_id"`);
        await queryRunner.query(`DROP TABLE "outbox_event"`);
    }

}
