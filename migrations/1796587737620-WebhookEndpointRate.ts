import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An outbound webhook endpoint's own attempts-per-second limit (null: WEBHOOK_ENDPOINT_MAX_PER_SECOND). */
export class WebhookEndpointRate1796587737620 implements MigrationInterface {
  name = 'WebhookEndpointRate1796587737620';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_endpoint" ADD "max_per_second" integer`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_endpoint" DROP COLUMN "max_per_second"`);
  }
}
