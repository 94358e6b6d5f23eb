import { MigrationInterface, QueryRunner } from "typeorm";

export class ChatwootReconcile1796587549135 implements MigrationInterface {
    name = 'ChatwootReconcile1796587549135'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "chatwoot_integration" ADD "last_reconciled_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "chatwoot_integration" ADD "drift" jsonb`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "chatwoot_integration" DROP COLUMN "drift"`);
        await queryRunner.query(`ALTER TABLE "chatwoot_integration" DROP COLUMN "last_reconciled_at"`);
    }

}
