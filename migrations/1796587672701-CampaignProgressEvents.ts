import { MigrationInterface, QueryRunner } from "typeorm";

export class CampaignProgressEvents1796587672701 implements MigrationInterface {
    name = 'CampaignProgressEvents1796587672701'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "campaign" ADD "progress_emitted_at" TIMESTAMP WITH TIME ZONE`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "campaign" DROP COLUMN "progress_emitted_at"`);
    }

}
