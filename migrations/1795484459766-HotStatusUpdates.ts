import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Status changes without index writes: no index mentions message.status any more (the sweeper's index keys off
 * provider id and failed_at), and message pages keep 15 % free (fillfactor 85, new pages only), so a claim or
 * a delivered/read status is a HOT update instead of a new entry in every index, GIN search index included.
 */
export class HotStatusUpdates1795484459766 implements MigrationInterface {
    name = 'HotStatusUpdates1795484459766'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_campaign_recipient_status"`);
        await queryRunner.query(`DROP INDEX "public"."idx_message_pending_send"`);
        await queryRunner.query(`CREATE INDEX "idx_campaign_recipient_status" ON "campaign_recipient"  ("campaign_id", "status", "id") `);
        await queryRunner.query(`CREATE INDEX "idx_message_unsent" ON "message"  ("created_at") WHERE direction = 'outbound' AND provider_message_id IS NULL AND failed_at IS NULL`);
        await queryRunner.query(`ALTER TABLE "message" SET (fillfactor = 85)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "message" RESET (fillfactor)`);
        await queryRunner.query(`DROP INDEX "public"."idx_message_unsent"`);
        await queryRunner.query(`DROP INDEX "public"."idx_campaign_recipient_status"`);
        await queryRunner.query(`CREATE INDEX "idx_message_pending_send" ON "message" USING btree ("status", "send_at") WHERE (status = ANY (ARRAY['queued'::message_status, 'sending'::message_status]))`);
        await queryRunner.query(`CREATE INDEX "idx_campaign_recipient_status" ON "campaign_recipient" USING btree ("campaign_id", "status") `);
    }

}
