import { MigrationInterface, QueryRunner } from "typeorm";

export class WebhookRoutingAndCallbackData1795478468134 implements MigrationInterface {
    name = 'WebhookRoutingAndCallbackData1795478468134'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."uq_whatsapp_account_phone_number"`);
        await queryRunner.query(`ALTER TABLE "parked_status" ADD "biz_opaque_callback_data" character varying(200)`);
        await queryRunner.query(`ALTER TABLE "webhook_event" ADD "phone_number_ids" character varying(64) array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`CREATE INDEX "idx_parked_status_callback" ON "parked_status"  ("biz_opaque_callback_data") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_whatsapp_account_phone_number_id" ON "whatsapp_account"  ("phone_number_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."uq_whatsapp_account_phone_number_id"`);
        await queryRunner.query(`DROP INDEX "public"."idx_parked_status_callback"`);
        await queryRunner.query(`ALTER TABLE "webhook_event" DROP COLUMN "phone_number_ids"`);
        await queryRunner.query(`ALTER TABLE "parked_status" DROP COLUMN "biz_opaque_callback_data"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_whatsapp_account_phone_number" ON "whatsapp_account" USING btree ("provider", "phone_number_id") `);
    }

}
