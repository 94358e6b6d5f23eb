import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * outbox_event.xid: the writing transaction's id (pg_current_xact_id as bigint). Rows below the oldest open
 * transaction's id are final, so a reader ordered by (xid, seq) never skips a row that commits later. Nullable
 * without a backfill (no table rewrite): older rows are never forwarded (no ws endpoint existed before).
 */
export class WebsocketForwarding1796587418700 implements MigrationInterface {
    name = 'WebsocketForwarding1796587418700'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "outbox_event" ADD "xid" bigint`);
        // A function, so the column default reads back as written (TypeORM compares defaults textually).
        await queryRunner.query(`CREATE FUNCTION conversa_current_xid() RETURNS bigint LANGUAGE sql VOLATILE AS $$ SELECT pg_current_xact_id()::text::bigint $$`);
        await queryRunner.query(`ALTER TABLE "outbox_event" ALTER COLUMN "xid" SET DEFAULT conversa_current_xid()`);
        await queryRunner.query(`CREATE INDEX "idx_outbox_event_org_xid" ON "outbox_event"  ("organization_id", "xid", "seq")`);
        await queryRunner.query(`CREATE TABLE "websocket_forward_cursor" ("endpoint_id" uuid NOT NULL, "xid" bigint NOT NULL, "seq" bigint NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_websocket_forward_cursor" PRIMARY KEY ("endpoint_id"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "websocket_forward_cursor"`);
        await queryRunner.query(`DROP INDEX "public"."idx_outbox_event_org_xid"`);
        await queryRunner.query(`ALTER TABLE "outbox_event" DROP COLUMN "xid"`);
        await queryRunner.query(`DROP FUNCTION conversa_current_xid()`);
    }
}
