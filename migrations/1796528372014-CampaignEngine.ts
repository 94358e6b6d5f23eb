import { MigrationInterface, QueryRunner } from "typeorm";

export class CampaignEngine1796528372014 implements MigrationInterface {
    name = 'CampaignEngine1796528372014'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "campaign" ADD "audience" jsonb`);
        await queryRunner.query(`ALTER TABLE "campaign" ADD "schedule" jsonb`);
        await queryRunner.query(`ALTER TABLE "campaign" ADD "ab_test" jsonb`);
        await queryRunner.query(`ALTER TABLE "campaign" ADD "winner_variant" smallint`);
        await queryRunner.query(`ALTER TABLE "campaign" ADD "test_phase_ends_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "campaign" ADD "started_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "campaign" ADD "paused_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "campaign_recipient" ADD "variant" smallint`);
        await queryRunner.query(`ALTER TABLE "campaign_recipient" ADD "timezone" character varying(64)`);
        await queryRunner.query(`ALTER TABLE "campaign_recipient" ADD "attempts" integer NOT NULL DEFAULT '0'`);
        await queryRunner.query(`ALTER TABLE "campaign_recipient" ADD "next_attempt_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "campaign_recipient" ADD "claimed_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "whatsapp_account" ADD "messaging_limit" integer`);
        // New enum types instead of ADD VALUE: a value added in this transaction could not be used as the default.
        await queryRunner.query(`ALTER TYPE "public"."campaign_status" RENAME TO "campaign_status_old"`);
        await queryRunner.query(`CREATE TYPE "public"."campaign_status" AS ENUM('draft', 'scheduled', 'queued', 'running', 'paused', 'completed', 'cancelled', 'failed')`);
        await queryRunner.query(`ALTER TABLE "campaign" ALTER COLUMN "status" DROP DEFAULT`);
        await queryRunner.query(`ALTER TABLE "campaign" ALTER COLUMN "status" TYPE "public"."campaign_status" USING "status"::"text"::"public"."campaign_status"`);
        await queryRunner.query(`ALTER TABLE "campaign" ALTER COLUMN "status" SET DEFAULT 'draft'`);
        await queryRunner.query(`DROP TYPE "public"."campaign_status_old"`);
        await queryRunner.query(`DROP INDEX "public"."idx_campaign_recipient_status"`);
        await queryRunner.query(`ALTER TYPE "public"."campaign_recipient_status" RENAME TO "campaign_recipient_status_old"`);
        await queryRunner.query(`CREATE TYPE "public"."campaign_recipient_status" AS ENUM('pending', 'held', 'queued', 'sent', 'failed', 'skipped', 'expired', 'cancelled')`);
        await queryRunner.query(`ALTER TABLE "campaign_recipient" ALTER COLUMN "status" DROP DEFAULT`);
        await queryRunner.query(`ALTER TABLE "campaign_recipient" ALTER COLUMN "status" TYPE "public"."campaign_recipient_status" USING "status"::"text"::"public"."campaign_recipient_status"`);
        await queryRunner.query(`ALTER TABLE "campaign_recipient" ALTER COLUMN "status" SET DEFAULT 'pending'`);
        await queryRunner.query(`DROP TYPE "public"."campaign_recipient_status_old"`);
        // Campaign state moves are guarded here, whoever writes the row.
        await queryRunner.query(`CREATE FUNCTION campaign_status_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.status = OLD.status OR (OLD.status::text, NEW.status::text) IN (
              ('draft', 'scheduled'), ('draft', 'running'), ('draft', 'cancelled'),
              ('scheduled', 'running'), ('scheduled', 'paused'), ('scheduled', 'cancelled'), ('scheduled', 'draft'),
              ('queued', 'running'), ('queued', 'cancelled'), ('queued', 'completed'),
              ('running', 'paused'), ('running', 'completed'), ('running', 'cancelled'), ('running', 'failed'),
              ('paused', 'running'), ('paused', 'scheduled'), ('paused', 'cancelled')
            ) THEN RETURN NEW; END IF;
            RAISE EXCEPTION 'campaign % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
          END $$`);
        await queryRunner.query(`CREATE TRIGGER campaign_status_guard BEFORE UPDATE OF status ON "campaign" FOR EACH ROW EXECUTE FUNCTION campaign_status_guard()`);
        await queryRunner.query(`CREATE INDEX "idx_campaign_status" ON "campaign"  ("status") `);
        await queryRunner.query(`CREATE INDEX "idx_campaign_recipient_claimed" ON "campaign_recipient"  ("claimed_at") `);
        await queryRunner.query(`CREATE INDEX "idx_campaign_recipient_status" ON "campaign_recipient"  ("campaign_id", "status", "id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER campaign_status_guard ON "campaign"`);
        await queryRunner.query(`DROP FUNCTION campaign_status_guard()`);
        await queryRunner.query(`DROP INDEX "public"."idx_campaign_recipient_status"`);
        await queryRunner.query(`DROP INDEX "public"."idx_campaign_recipient_claimed"`);
        await queryRunner.query(`DROP INDEX "public"."idx_campaign_status"`);
        await queryRunner.query(`CREATE TYPE "public"."campaign_recipient_status_old" AS ENUM('pending', 'queued', 'sent', 'failed', 'skipped')`);
        await queryRunner.query(`ALTER TABLE "campaign_recipient" ALTER COLUMN "status" DROP DEFAULT`);
        await queryRunner.query(`ALTER TABLE "campaign_recipient" ALTER COLUMN "status" TYPE "public"."campaign_recipient_status_old" USING "status"::"text"::"public"."campaign_recipient_status_old"`);
        await queryRunner.query(`DROP TYPE "public"."campaign_recipient_status"`);
        await queryRunner.query(`ALTER TYPE "public"."campaign_recipient_status_old" RENAME TO "campaign_recipient_status"`);
        await queryRunner.query(`ALTER TABLE "campaign_recipient" ALTER COLUMN "status" SET DEFAULT 'pending'`);
        await queryRunner.query(`CREATE INDEX "idx_campaign_recipient_status" ON "campaign_recipient" ("campaign_id", "status", "id") `);
        await queryRunner.query(`ALTER TABLE "campaign" ALTER COLUMN "status" DROP DEFAULT`);
        await queryRunner.query(`CREATE TYPE "public"."campaign_status_old" AS ENUM('queued', 'running', 'completed', 'cancelled')`);
        await queryRunner.query(`ALTER TABLE "campaign" ALTER COLUMN "status" TYPE "public"."campaign_status_old" USING "status"::"text"::"public"."campaign_status_old"`);
        await queryRunner.query(`DROP TYPE "public"."campaign_status"`);
        await queryRunner.query(`ALTER TYPE "public"."campaign_status_old" RENAME TO "campaign_status"`);
        await queryRunner.query(`ALTER TABLE "campaign" ALTER COLUMN "status" SET DEFAULT 'queued'`);
        await queryRunner.query(`ALTER TABLE "whatsapp_account" DROP COLUMN "messaging_limit"`);
        await queryRunner.query(`ALTER TABLE "campaign_recipient" DROP COLUMN "claimed_at"`);
        await queryRunner.query(`ALTER TABLE "campaign_recipient" DROP COLUMN "next_attempt_at"`);
        await queryRunner.query(`ALTER TABLE "campaign_recipient" DROP COLUMN "attempts"`);
        await queryRunner.query(`ALTER TABLE "campaign_recipient" DROP COLUMN "timezone"`);
        await queryRunner.query(`ALTER TABLE "campaign_recipient" DROP COLUMN "variant"`);
        await queryRunner.query(`ALTER TABLE "campaign" DROP COLUMN "paused_at"`);
        await queryRunner.query(`ALTER TABLE "campaign" DROP COLUMN "started_at"`);
        await queryRunner.query(`ALTER TABLE "campaign" DROP COLUMN "test_phase_ends_at"`);
        await queryRunner.query(`ALTER TABLE "campaign" DROP COLUMN "winner_variant"`);
        await queryRunner.query(`ALTER TABLE "campaign" DROP COLUMN "ab_test"`);
        await queryRunner.query(`ALTER TABLE "campaign" DROP COLUMN "schedule"`);
        await queryRunner.query(`ALTER TABLE "campaign" DROP COLUMN "audience"`);
    }

}
