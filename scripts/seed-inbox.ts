/**
 * Seeds one organisation with a large inbox, in SQL (INSERT … SELECT generate_series), for benchmarks:
 *   tsx scripts/seed-inbox.ts [--conversations=100000] [--messages=10] [--parallel=2]
 * Defaults: 100,000 contacts/conversations × 10 = 1,000,000 messages, Spanish-like texts (search works),
 * each with an order number. Uses DATABASE_URL (from the environment or .env); use a dedicated database.
 * Prints the owner's credentials for scripts/bench/inbox.bench.ts.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { encryptSecret, hashSecret } from '../src/common/crypto';
import { loadConfig } from '../src/config/app-config';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')) as Array<[string, string]>);
const CONVERSATIONS = Number(args.conversations ?? 100_000);
const MESSAGES = Number(args.messages ?? 10);
const PARALLEL = Number(args.parallel ?? 2);
export const SEED_PASSWORD = 'bench-password-123';

// Deterministic pick from a word list: h(n, salt) → 1..len.
const PICK = `CREATE OR REPLACE FUNCTION pg_temp.pick(arr text[], n bigint, salt int) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT arr[1 + abs(hashint8(n * 7919 + salt)) % array_length(arr, 1)] $$`;
const TEXT_FN = `CREATE OR REPLACE FUNCTION pg_temp.seed_text(conv int, k int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT pg_temp.pick(ARRAY['Hola', 'Buenas tardes', 'Buenos días', 'Estimados', 'Hola equipo', 'Qué tal', 'Buenas noches', 'Disculpen'], conv * 100 + k, 1)
    || ', ' || pg_temp.pick(ARRAY['quiero saber', 'necesito consultar', 'me pueden confirmar', 'tengo una duda sobre', 'les escribo por',
       'todavía espero', 'no he recibido', 'quisiera cambiar', 'me gustaría cancelar', 'agradecería información de'], conv * 100 + k, 2)
    || ' ' || pg_temp.pick(ARRAY['el pedido', 'la factura', 'el envío', 'la devolución', 'el reembolso', 'la cita', 'la reserva', 'el pago',
       'la garantía', 'la suscripción', 'el despacho', 'la boleta'], conv * 100 + k, 3)
    || ' número ' || (1 + abs(hashint8(conv * 100 + k)) % 100000)::text || '. '
    || pg_temp.pick(ARRAY['Muchas gracias.', 'Quedo atento.', '¿Cuándo llegaría?', 'Es urgente, por favor.', 'Saludos cordiales.',
       '¿Aceptan transferencia?', 'La dirección es Avenida Providencia.', 'Prefiero retirar en tienda.', 'El producto llegó dañado.',
       '¿Tienen stock en Valparaíso?', 'Necesito la boleta electrónica.', 'Gracias por la rápida respuesta.'], conv * 100 + k, 4) $$`;

async function main(): Promise<void> {
  const config = loadConfig();
  const started = Date.now();
  const db = new Client({ connectionString: config.DATABASE_URL });
  await db.connect();
  const suffix = randomBytes(3).toString('hex');
  const [org] = (await db.query(`INSERT INTO organization (name, slug) VALUES ($1, $2) RETURNING id`, [`Bench ${suffix}`, `bench-${suffix}`])).rows;
  const email = `bench-${suffix}@conversa.local`;
  await db.query(`INSERT INTO "user" (organization_id, email, name, password_hash, role) VALUES ($1, $2, 'Bench Owner', $3, 'owner')`, [org.id, email, await hashSecret(SEED_PASSWORD)]);
  const [account] = (
    await db.query(
      `INSERT INTO whatsapp_account (organization_id, name, provider, phone_number_id, access_token_encrypted, is_default) VALUES ($1, 'Bench', 'sandbox', $2, $3, true) RETURNING id`,
      [org.id, `bench${suffix}`, encryptSecret('bench-token', config.encryptionKey)],
    )
  ).rows;
  await db.query(`CREATE UNLOGGED TABLE IF NOT EXISTS seed_inbox_map (n int, conversation_id uuid, contact_id uuid)`);
  await db.query(`TRUNCATE seed_inbox_map`);
  await db.query(PICK);
  await time('contacts', () =>
    db.query(
      `INSERT INTO contact (organization_id, phone_e164, wa_id, name, profile_name, labels, created_at)
       SELECT $1, '+5699' || lpad(g::text, 7, '0'), '5699' || lpad(g::text, 7, '0'),
              pg_temp.pick(ARRAY['María','José','Camila','Matías','Valentina','Benjamín','Sofía','Tomás','Isidora','Agustín','Antonia','Vicente'], g, 11)
                || ' ' || pg_temp.pick(ARRAY['González','Muñoz','Rojas','Díaz','Pérez','Soto','Contreras','Silva','Martínez','Sepúlveda','Morales','Rodríguez'], g, 12) || ' ' || g,
              pg_temp.pick(ARRAY['Mari','Pepe','Cami','Mati','Vale','Benja','Sofi','Tomi'], g, 13),
              CASE WHEN g % 10 = 0 THEN ARRAY['vip'] ELSE '{}'::text[] END,
              now() - make_interval(secs => g)
       FROM generate_series(1, $2) g`,
      [org.id, CONVERSATIONS],
    ),
  );
  // Conversation n's latest message is n minutes old: conversation 1 is the most recent.
  await time('conversations', async () => {
    await db.query(
      `INSERT INTO seed_inbox_map (n, conversation_id, contact_id)
       SELECT substring(phone_e164 from 6)::int, gen_random_uuid(), id FROM contact WHERE organization_id = $1`,
      [org.id],
    );
    await db.query(TEXT_FN);
    await db.query(
      `INSERT INTO conversation (id, organization_id, whatsapp_account_id, contact_id, status, unread_count, last_message_at, last_message_preview,
         last_inbound_at, window_expires_at, bot_paused, labels, created_at)
       SELECT s.conversation_id, $1, $2, s.contact_id, CASE WHEN s.n % 10 = 0 THEN 'closed' ELSE 'open' END::conversation_status, s.n % 4,
              now() - make_interval(mins => s.n), left(pg_temp.seed_text(s.n, $3), 200), now() - make_interval(mins => s.n),
              now() - make_interval(mins => s.n) + interval '24 hours', s.n % 17 = 0,
              CASE WHEN s.n % 7 = 0 THEN ARRAY['ventas'] ELSE '{}'::text[] END, now() - make_interval(days => 30)
       FROM seed_inbox_map s`,
      [org.id, account.id, MESSAGES],
    );
  });
  await time(`messages (${CONVERSATIONS * MESSAGES})`, () => insertMessages(config.DATABASE_URL, org.id, account.id));
  await db.query(`DROP TABLE seed_inbox_map`);
  await time('analyze', () => db.query(`ANALYZE contact; ANALYZE conversation; ANALYZE message`));
  await db.end();
  process.stdout.write(`${JSON.stringify({ organizationId: org.id, accountId: account.id, email, password: SEED_PASSWORD, seconds: (Date.now() - started) / 1000 })}\n`);
}

/** Slices of conversations on PARALLEL connections: the search-vector trigger is the CPU-bound part. */
async function insertMessages(databaseUrl: string, organizationId: string, accountId: string): Promise<void> {
  const slice = Math.ceil(CONVERSATIONS / 20);
  const ranges = Array.from({ length: Math.ceil(CONVERSATIONS / slice) }, (_, i) => [i * slice + 1, Math.min((i + 1) * slice, CONVERSATIONS)]);
  const worker = async () => {
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    await db.query(PICK);
    await db.query(TEXT_FN);
    for (let range = ranges.shift(); range; range = ranges.shift()) {
      await db.query(
        `INSERT INTO message (organization_id, whatsapp_account_id, conversation_id, contact_id, direction, type, status, content, text,
           occurred_at, created_at, provider_message_id)
         SELECT $1, $2, s.conversation_id, s.contact_id, d.direction::message_direction, 'text',
                CASE WHEN d.direction = 'inbound' THEN 'received' ELSE 'read' END::message_status,
                jsonb_build_object('body', t.body), t.body, d.at, d.at, 'wamid.seed.' || s.n || '.' || k
         FROM seed_inbox_map s, generate_series(1, $5::int) k,
              LATERAL (SELECT pg_temp.seed_text(s.n, k) AS body) t,
              LATERAL (SELECT CASE WHEN k % 3 = 0 THEN 'outbound' ELSE 'inbound' END AS direction,
                              now() - make_interval(mins => s.n) - make_interval(mins => ($5::int - k) * 3) AS at) d
         WHERE s.n BETWEEN $3 AND $4`,
        [organizationId, accountId, range[0], range[1], MESSAGES],
      );
      process.stdout.write(`  messages for conversations ${range[0]}..${range[1]}\n`);
    }
    await db.end();
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

async function time<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await fn();
  process.stdout.write(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
