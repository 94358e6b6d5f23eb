import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A signed webhook body that PostgreSQL's jsonb rejects (`\u0000`, a lone surrogate, nesting too deep, a number
 * out of numeric's range) is kept as its exact bytes in `raw_body`, with `payload` null, instead of failing its
 * whole group commit with 503.
 */
export class WebhookEventRawBody1796527001952 implements MigrationInterface {
    name = 'WebhookEventRawBody1796527001952'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "webhook_event" ADD "raw_body" bytea`);
        await queryRunner.query(`ALTER TABLE "webhook_event" ALTER COLUMN "payload" DROP NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        // Events held only as raw bytes cannot survive the column's removal.
        await queryRunner.query(`DELETE FROM "webhook_event" WHERE "payload" IS NULL`);
        await queryRunner.query(`ALTER TABLE "webhook_event" ALTER COLUMN "payload" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "webhook_event" DROP COLUMN "raw_body"`);
    }

}
