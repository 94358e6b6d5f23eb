import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ordered delivery per endpoint: an ordered endpoint's deliveries carry their event's conversation and outbox
 * sequence, so an attempt can tell whether an earlier one of the same conversation is still pending (the partial
 * index holds only those rows; unordered endpoints' deliveries leave both columns null and never enter it).
 */
export class WebhookEndpointOrdered1796591366821 implements MigrationInterface {
  name = 'WebhookEndpointOrdered1796591366821';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_endpoint" ADD "ordered" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "webhook_delivery" ADD "conversation_id" uuid`);
    await queryRunner.query(`ALTER TABLE "webhook_delivery" ADD "event_seq" bigint`);
    await queryRunner.query(
      `CREATE INDEX "idx_webhook_delivery_ordered" ON "webhook_delivery" ("endpoint_id", "conversation_id", "event_seq") WHERE status = 'pending' AND conversation_id IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_webhook_delivery_ordered"`);
    await queryRunner.query(`ALTER TABLE "webhook_delivery" DROP COLUMN "event_seq"`);
    await queryRunner.query(`ALTER TABLE "webhook_delivery" DROP COLUMN "conversation_id"`);
    await queryRunner.query(`ALTER TABLE "webhook_endpoint" DROP COLUMN "ordered"`);
  }
}
