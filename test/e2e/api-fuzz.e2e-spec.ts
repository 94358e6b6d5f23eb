import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { sha256Hex } from '../../src/common/crypto';
import { MessageDirection, MessageStatus } from '../../src/database/entities/enums';
import { Message } from '../../src/database/entities/message.entity';
import { ConversationsService } from '../../src/modules/communications/conversations/conversations.service';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { adminCase, type AdminCase, FUZZ_SEED, webhookCase, type WebhookCase } from '../support/fuzz';
import { createTestApp, type TestApp } from '../support/test-app';
import { metaMessagesPayload, metaSignature, postMeta } from '../support/webhooks';

jest.setTimeout(120_000);

const UPPER_SNAKE = /^[A-Z][A-Z0-9_]*$/;

/** What a failure report shows of a response: never more than a short, escaped preview of the body. */
interface Answer {
  status: number;
  body: unknown;
  text: string;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeFailure(what: string, response: Answer, body?: Buffer): string {
  const preview = body ? JSON.stringify(body.subarray(0, 120).toString('utf8')) : '';
  const code = (response.body as { code?: unknown } | undefined)?.code ?? response.text.slice(0, 80);
  return `${what} → ${response.status} ${JSON.stringify(code)} ${preview} (seed ${FUZZ_SEED})`;
}

/** Every answer is below 500, and an error answer carries a stable upper-snake code. */
function expectNoServerError(what: string, response: Answer, body?: Buffer): void {
  if (response.status >= 500) throw new Error(describeFailure(what, response, body));
  if (response.status >= 400 && !UPPER_SNAKE.test(String((response.body as { code?: unknown } | undefined)?.code))) {
    throw new Error(`no stable code: ${describeFailure(what, response, body)}`);
  }
}

/** Runs the property; a failure names the seed and path to replay and the first failing request, not the whole batch. */
async function checkProperty<T>(property: fc.IAsyncProperty<T>, numRuns: number): Promise<void> {
  const details = await fc.check(property, { seed: FUZZ_SEED, numRuns, endOnFailure: true });
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`fuzz failed (seed ${details.seed}, path ${details.counterexamplePath}): ${cause}`);
  }
}

describe('Fuzzing the webhook receiver and the admin API', () => {
  let app: TestApp;
  let tenant: Tenant;
  const knownIds: string[] = [];

  beforeAll(async () => {
    // API only: bodies are stored, not processed. A linger makes concurrent posts share group commits.
    app = await createTestApp({ env: { APP_ROLES: 'api', WEBHOOK_INGEST_BATCH_MS: '5' } });
    tenant = await createTenant(app);
    const conversation = await app.get(ConversationsService).findOrCreate(tenant.organization.id, tenant.account.id, tenant.contact.id);
    const message = await app.dataSource.getRepository(Message).save({
      organizationId: tenant.organization.id, whatsappAccountId: tenant.account.id, conversationId: conversation.id, contactId: tenant.contact.id,
      direction: MessageDirection.Outbound, type: 'text', status: MessageStatus.Sent, content: { body: 'x' }, text: 'x', occurredAt: new Date(),
    });
    await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ text: 'hola' }] })).expect(200);
    const [event] = await app.dataSource.query(`SELECT id FROM webhook_event LIMIT 1`);
    knownIds.push(conversation.id, tenant.contact.id, message.id, event.id);
  });
  afterAll(async () => {
    await app.close();
  });

  /** Node's fetch sends the bytes as they are (supertest would serialise a Buffer as JSON). */
  async function post(c: WebhookCase): Promise<Answer> {
    const path = c.route === 'kapso' ? '/webhooks/kapso' : c.route === 'meta' ? '/webhooks/meta' : `/webhooks/meta/${encodeURIComponent(c.accountParam ?? '')}`;
    const headers: Record<string, string> = {};
    if (c.contentType) headers['content-type'] = c.contentType;
    const secret = c.signature === 'wrong' ? 'not-the-secret' : c.route === 'kapso' ? app.config.KAPSO_WEBHOOK_SECRET : app.config.META_APP_SECRET;
    if (c.signature !== 'none' && c.route === 'kapso') headers['x-webhook-signature'] = createHmac('sha256', secret).update(c.body).digest('hex');
    if (c.signature !== 'none' && c.route !== 'kapso') headers['x-hub-signature-256'] = metaSignature(c.body, secret);
    if (c.route === 'kapso' && c.kapsoEvent !== undefined) headers['x-webhook-event'] = c.kapsoEvent;
    if (c.route === 'kapso' && c.kapsoKey !== undefined) headers['x-idempotency-key'] = c.kapsoKey;
    const response = await fetch(`${app.baseUrl}${path}`, { method: 'POST', headers, body: c.body });
    const text = await response.text();
    return { status: response.status, body: parseJson(text), text };
  }

  it('answers every webhook body below 500, and 200 to every valid event posted among poison ones, which is stored', async () => {
    const stored: string[] = [];
    let posted = 0;
    let signed = 0;
    await checkProperty(
      fc.asyncProperty(fc.array(webhookCase(tenant.account.phoneNumberId, tenant.account.id), { minLength: 25, maxLength: 35 }), async (cases) => {
        const responses = await Promise.all(cases.map(post));
        posted += cases.length;
        for (const [i, c] of cases.entries()) {
          if (c.signature === 'valid') signed += 1;
          expectNoServerError(`POST ${c.route} (${c.signature} signature)`, responses[i], c.body);
          if (!c.mustStore) continue;
          if (responses[i].status !== 200) throw new Error(`valid event refused: ${describeFailure(c.route, responses[i], c.body)}`);
          stored.push(`meta:${sha256Hex(c.body)}`);
        }
      }),
      70,
    );
    expect(posted).toBeGreaterThanOrEqual(2000);
    expect(signed).toBeGreaterThan(posted / 2);
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM webhook_event WHERE idempotency_key = ANY($1) AND payload IS NOT NULL`, [stored]);
    expect(n).toBe(new Set(stored).size);
  });

  it('answers every fuzzed admin request below 500 with a stable code for each error', async () => {
    const authorization = (c: AdminCase) => (c.auth === 'owner' ? `Bearer ${tenant.token}` : c.auth === 'garbage' ? 'Bearer x.y.z' : undefined);
    let sent = 0;
    await checkProperty(
      fc.asyncProperty(fc.array(adminCase(knownIds), { minLength: 15, maxLength: 25 }), async (cases) => {
        const responses = await Promise.all(
          cases.map(async (c): Promise<Answer> => {
            const auth = authorization(c);
            const response = await fetch(`${app.baseUrl}${c.url}`, { method: c.method, headers: auth ? { authorization: auth } : {} });
            const text = await response.text();
            return { status: response.status, body: parseJson(text), text };
          }),
        );
        sent += cases.length;
        for (const [i, c] of cases.entries()) expectNoServerError(`${c.method} ${c.url.slice(0, 300)}`, responses[i]);
      }),
      50,
    );
    expect(sent).toBeGreaterThanOrEqual(750);
  });
});
