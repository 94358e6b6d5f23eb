import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { metaMessagesPayload } from './webhooks';

/** Fixed, so a failure replays; fast-check's report names it (and the path) too. */
export const FUZZ_SEED = 20_261_206;

/** What PostgreSQL jsonb rejects and JSON.parse accepts. Past 14,554 levels jsonb overflows its stack here. */
export const POISONS = ['nul', 'high-surrogate', 'low-surrogate', 'deep', 'huge-number', 'tiny-number'] as const;
export type Poison = (typeof POISONS)[number];

export interface WebhookCase {
  route: 'meta' | 'kapso' | 'meta-account';
  body: Buffer;
  signature: 'valid' | 'none' | 'wrong';
  contentType: string | null;
  /** A well-formed, correctly signed event: must be 200 and stored. */
  mustStore: boolean;
  accountParam?: string;
  kapsoEvent?: string;
  kapsoKey?: string;
}

function poisoned(json: string, poison: Poison, depth: number): string {
  const extra = {
    nul: '"a\\u0000b"',
    'high-surrogate': '"\\ud83d!"',
    'low-surrogate': '"\\ude00"',
    deep: `${'['.repeat(depth)}${']'.repeat(depth)}`,
    'huge-number': '1e999999',
    'tiny-number': '-1e-999999',
  }[poison];
  return json.replace(/}$/, `,"fuzz":${extra}}`);
}

/** Text without NUL: a valid event's text must be storable. */
const safeText = fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.replace(/\0/g, ''));

/** A Meta messages webhook for `phoneNumberId` with a fresh message id (so every body is new). */
function validMeta(phoneNumberId: string): fc.Arbitrary<string> {
  return safeText.map((text) => metaMessagesPayload({ phoneNumberId, messages: [{ id: `wamid.fuzz-${randomUUID()}`, text }] }));
}

const headerText = (maxLength: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength });

export function webhookCase(phoneNumberId: string, accountId: string): fc.Arbitrary<WebhookCase> {
  const valid = validMeta(phoneNumberId);
  const poison = fc.tuple(valid, fc.constantFrom(...POISONS), fc.integer({ min: 15_000, max: 25_000 })).map(([json, kind, depth]) => poisoned(json, kind, depth));
  const body = fc.oneof(
    { weight: 4, arbitrary: valid.map((json) => ({ json, mustStore: true })) },
    { weight: 4, arbitrary: poison.map((json) => ({ json, mustStore: false })) },
    { weight: 2, arbitrary: fc.json({ stringUnit: 'binary', maxDepth: 4 }).map((json) => ({ json, mustStore: false })) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.nat()).map(([json, cut]) => ({ json: json.slice(0, cut % json.length), mustStore: false })) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map((json) => ({ json, mustStore: false })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 80 }).map((bytes) => ({ json: Buffer.from(bytes), mustStore: false })) },
  );
  return fc
    .record({
      body,
      route: fc.constantFrom('meta', 'meta', 'kapso', 'meta-account') as fc.Arbitrary<WebhookCase['route']>,
      signature: fc.constantFrom('valid', 'valid', 'valid', 'none', 'wrong') as fc.Arbitrary<WebhookCase['signature']>,
      contentType: fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', null),
      accountParam: fc.oneof(fc.constant(accountId), fc.uuid(), fc.string({ maxLength: 40 })),
      kapsoEvent: fc.option(headerText(150), { nil: undefined }),
      kapsoKey: fc.option(headerText(130), { nil: undefined }),
    })
    .map(({ body: { json, mustStore }, ...rest }) => ({
      ...rest,
      body: Buffer.isBuffer(json) ? json : Buffer.from(json, 'utf8'),
      mustStore: mustStore && rest.route === 'meta' && rest.signature === 'valid' && rest.contentType !== null && rest.contentType.startsWith('application/json'),
    }));
}

export interface AdminRoute {
  method: 'GET' | 'POST';
  /** `:id` is replaced by a fuzzed path parameter. */
  path: string;
  queryKeys: string[];
}

/** Ten admin routes: lists with cursors and filters, and routes keyed by a UUID path parameter. */
export const ADMIN_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/api/v1/webhooks/events', queryKeys: ['status', 'cursor', 'limit'] },
  { method: 'POST', path: '/api/v1/webhooks/events/:id/replay', queryKeys: [] },
  { method: 'GET', path: '/api/v1/conversations', queryKeys: ['accountId', 'status', 'unread', 'q', 'label', 'assigneeId', 'cursor', 'limit'] },
  { method: 'GET', path: '/api/v1/conversations/:id/messages', queryKeys: ['cursor', 'limit'] },
  { method: 'GET', path: '/api/v1/contacts', queryKeys: ['q', 'label', 'cursor', 'limit'] },
  { method: 'GET', path: '/api/v1/contacts/:id/history', queryKeys: ['cursor', 'limit'] },
  { method: 'GET', path: '/api/v1/messages', queryKeys: ['status', 'direction', 'type', 'contactId', 'externalRef', 'from', 'to', 'cursor', 'limit'] },
  { method: 'GET', path: '/api/v1/messages/search', queryKeys: ['q', 'accountId', 'contactId', 'direction', 'from', 'to', 'cursor', 'limit'] },
  { method: 'GET', path: '/api/v1/templates', queryKeys: ['accountId', 'status', 'category', 'language', 'name', 'includeDeleted', 'cursor', 'limit'] },
  { method: 'GET', path: '/api/v1/messages/:id', queryKeys: [] },
];

/** Bytes percent-encoded, so lone surrogates, NUL and malformed escapes reach the server as sent. */
export function percentEncode(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');
}

const base64 = (text: string) => Buffer.from(text).toString('base64url');
/** Valid timestamps, days PostgreSQL rejects, and junk: what a tampered cursor's sort key can hold. */
const timestampish = fc.oneof(
  fc.date({ noInvalidDate: true, min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z') }).map((d) => d.toISOString()),
  fc.constantFrom('2026-02-30T00:00:00Z', '2026-02-30 00:00:00+00', '0000-01-01 00:00:00+00', '1', 'x', '2026-01-01T24:00:00Z', '2026-01-01 00:00:00+99', '2026-01-01'),
  fc.string({ maxLength: 10 }),
);
const idish = fc.oneof(fc.uuid(), fc.constant('-'.repeat(36)), fc.string({ maxLength: 40 }));
const rankKey = fc.tuple(fc.oneof(fc.double().map(String), fc.constantFrom('x', '1e99', '1e-99', '0.5')), timestampish).map(([rank, at]) => `${rank}|${at}`);

/** Cursors shaped like each listing's (`{at,id}`, `{k,id,asOf}`, `{t,id}`, `createdAt|id`), with bad parts, and junk. */
const cursorValue = fc.oneof(
  fc.record({ at: timestampish, id: idish }, { requiredKeys: [] }).map((o) => base64(JSON.stringify(o))),
  fc.record({ k: fc.oneof(timestampish, rankKey, fc.constant(null)), id: idish, asOf: timestampish }, { requiredKeys: ['id'] }).map((o) => base64(JSON.stringify(o))),
  fc.record({ t: timestampish, id: idish }, { requiredKeys: [] }).map((o) => base64(JSON.stringify(o))),
  fc.tuple(timestampish, idish).map(([at, id]) => base64(`${at}|${id}`)),
  fc.string({ unit: 'binary', maxLength: 80 }).map(base64),
  fc.string({ maxLength: 50 }),
  fc.nat({ max: 5000 }).map((n) => 'A'.repeat(n + 900)),
);

const text = fc.string({ unit: 'binary', maxLength: 30 }).map(percentEncode);
const dates = fc.constantFrom('2026-01-01T00:00:00Z', '2026-02-30', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '0000-01-01', '99999-01-01T00:00:00Z', '2026-01-01T25:00:00Z', '1970-01-01T00:00:00+14:00', '2026-01-01').map(percentEncode);
const uuidish = fc.oneof(fc.uuid(), fc.constant('-'.repeat(36)), text);

/** Values shaped for each key, mostly plausible, so requests get past validation to the database often. */
const VALUES: Record<string, fc.Arbitrary<string>> = {
  cursor: cursorValue.map(percentEncode),
  limit: fc.constantFrom('1', '25', '100', '0', '-1', '101', 'abc', '1e308', '1.5', '99999999999999999999'),
  status: fc.constantFrom('failed', 'received', 'open', 'closed', 'queued', 'queued,sent', 'sent,', 'true', 'APPROVED', ''),
  direction: fc.constantFrom('inbound', 'outbound', 'x'),
  category: fc.constantFrom('MARKETING', 'UTILITY', 'x'),
  unread: fc.constantFrom('true', 'false', '1', 'x'),
  includeDeleted: fc.constantFrom('true', 'false', 'x'),
  from: dates,
  to: dates,
  accountId: uuidish,
  contactId: uuidish,
  assigneeId: uuidish,
};
const rawFragment = fc.constantFrom('%00', '%ED%A0%BD', '%FF%FE', '%', '%zz', '%C0%80', '%E2%82');

/** A query value as the raw text after `=`; free text sometimes carries NUL, a lone surrogate or a broken escape. */
function queryValue(key: string): fc.Arbitrary<string> {
  const own = VALUES[key] ?? text;
  return fc.oneof(
    { weight: 4, arbitrary: own },
    { weight: 1, arbitrary: fc.tuple(own, rawFragment, fc.boolean()).map(([value, fragment, before]) => (before ? fragment + value : value + fragment)) },
  );
}

const pathParam = fc.oneof(
  fc.uuid(),
  fc.string({ unit: 'binary', maxLength: 40 }).map(percentEncode),
  fc.constantFrom('%00', '..%2F..%2Fetc', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '-'.repeat(36), '%ED%A0%BD', 'x'.repeat(300)),
);

export interface AdminCase {
  method: AdminRoute['method'];
  url: string;
  auth: 'owner' | 'none' | 'garbage';
}

/** `knownIds` are real rows' ids, so some requests reach the database past the UUID check. Stray query keys (a 400) are rare. */
export function adminCase(knownIds: string[]): fc.Arbitrary<AdminCase> {
  const strayKey = fc.string({ maxLength: 8 }).map(percentEncode);
  return fc
    .record({
      route: fc.constantFrom(...ADMIN_ROUTES),
      id: fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...knownIds) }, { weight: 2, arbitrary: pathParam }),
      stray: fc.oneof({ weight: 5, arbitrary: fc.constant([] as Array<[string, string]>) }, { weight: 1, arbitrary: fc.array(fc.tuple(strayKey, text), { maxLength: 2 }) }),
      auth: fc.constantFrom('owner', 'owner', 'owner', 'owner', 'none', 'garbage') as fc.Arbitrary<AdminCase['auth']>,
    })
    .chain(({ route, id, stray, auth }) =>
      fc.array(fc.constantFrom(...(route.queryKeys.length ? route.queryKeys : ['x'])).chain((key) => queryValue(key).map((value) => [key, value] as [string, string])), { maxLength: route.queryKeys.length ? 3 : 1 }).map((own) => {
        const pairs = [...own, ...stray].map(([k, v]) => `${k}=${v}`).join('&');
        return { method: route.method, url: `${route.path.replace(':id', id)}${pairs ? `?${pairs}` : ''}`, auth };
      }),
    );
}
