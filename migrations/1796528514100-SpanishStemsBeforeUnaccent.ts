import type { MigrationInterface, QueryRunner } from 'typeorm';

const VECTOR_BEFORE = `SELECT setweight(to_tsvector('spanish', conversa_unaccent(coalesce($1, ''))), 'A')
            || setweight(to_tsvector('simple', conversa_unaccent(coalesce($1, ''))), 'B')`;

// Snowball's Spanish stemmer folds the accents itself (declaración, declaraciones → declar); unaccenting first
// left "declaracion", which it does not stem, so a singular never met its plural. The text as written is stemmed
// first; the unaccented stems stay for queries typed without accents.
const VECTOR_AFTER = `SELECT setweight(to_tsvector('spanish', coalesce($1, '')), 'A')
            || setweight(to_tsvector('spanish', conversa_unaccent(coalesce($1, ''))), 'A')
            || setweight(to_tsvector('simple', conversa_unaccent(coalesce($1, ''))), 'B')`;

/** Message search matches Spanish singulars and plurals whatever their accents; rebuilds every stored vector. */
export class SpanishStemsBeforeUnaccent1796528514100 implements MigrationInterface {
  name = 'SpanishStemsBeforeUnaccent1796528514100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.rebuild(queryRunner, VECTOR_AFTER);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await this.rebuild(queryRunner, VECTOR_BEFORE);
  }

  private async rebuild(queryRunner: QueryRunner, body: string): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION conversa_search_vector(text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ ${body} $$`);
    // The trigger fires only when text changes, so the stored column is recomputed here.
    await queryRunner.query(`UPDATE "message" SET search_vector = conversa_search_vector(text) WHERE text IS NOT NULL`);
  }
}
