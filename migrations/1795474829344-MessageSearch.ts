import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search over message text (Spanish stemming plus the simple configuration, accents folded)
 * and trigram search over contact names and phones. Maintained by triggers and raw indexes, which
 * TypeORM does not model, so they live in this hand-written migration.
 */
export class MessageSearch1795474829344 implements MigrationInterface {
  name = 'MessageSearch1795474829344';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // unaccent() is only STABLE; pinning the dictionary makes this wrapper safe to mark IMMUTABLE for indexes.
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION conversa_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$`,
    );
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION conversa_search_vector(text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('spanish', conversa_unaccent(coalesce($1, ''))), 'A')
            || setweight(to_tsvector('simple', conversa_unaccent(coalesce($1, ''))), 'B') $$`,
    );
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION message_search_vector_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' OR NEW.text IS DISTINCT FROM OLD.text THEN
            NEW.search_vector := conversa_search_vector(NEW.text);
          END IF;
          RETURN NEW;
        END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER message_search_vector BEFORE INSERT OR UPDATE OF text ON "message" FOR EACH ROW EXECUTE FUNCTION message_search_vector_trigger()`,
    );
    await queryRunner.query(`CREATE INDEX "idx_message_search" ON "message" USING GIN ("search_vector")`);
    await queryRunner.query(
      `CREATE INDEX "idx_contact_search" ON "contact" USING GIN ((conversa_unaccent(lower(coalesce(name, '') || ' ' || coalesce(profile_name, '') || ' ' || coalesce(phone_e164, '')))) gin_trgm_ops)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_contact_search"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_message_search"`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS message_search_vector ON "message"`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS message_search_vector_trigger()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS conversa_search_vector(text)`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS conversa_unaccent(text)`);
  }
}
