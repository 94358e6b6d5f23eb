import { EVENT_TYPES } from '../../src/domain/events/event-catalogue';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { http } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';

type Schema = Record<string, unknown> & { $ref?: string; properties?: Record<string, unknown>; oneOf?: unknown[]; allOf?: unknown[] };
type Operation = { summary?: string; requestBody?: { content: Record<string, { schema?: Schema }> }; responses: Record<string, { content?: Record<string, { schema?: Schema }> }> };
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** POSTs that act on the resource in their path and read no body; each with why. */
const BODYLESS_ACTIONS: Record<string, string> = {
  'POST /api/v1/whatsapp/accounts/{id}/test': 'a health check of the account',
  'POST /api/v1/webhooks/events/{id}/replay': 'replays the stored event',
  'POST /api/v1/messages/{id}/retry': 'queues the failed message again',
  'POST /api/v1/conversations/{id}/read': 'marks it read',
  'POST /api/v1/conversations/{id}/close': 'closes it',
  'POST /api/v1/conversations/{id}/reopen': 'reopens it',
  'POST /api/v1/conversations/{id}/bot/pause': 'hands it to a person',
  'POST /api/v1/conversations/{id}/bot/resume': 'gives it back to the agents',
  'POST /api/v1/conversations/{id}/bot/reset': 'clears the bot state',
  'POST /api/v1/contacts/{id}/opt-out': 'records the opt-out',
  'POST /api/v1/contacts/{id}/opt-in': 'records the opt-in',
  'POST /api/v1/templates/{id}/submit': 'submits the stored template to Meta',
  'POST /api/v1/events/ticket': 'issues a stream ticket to the caller',
  'POST /api/v1/settings/retention/preview': 'dry-runs the stored policy',
  'POST /api/v1/campaigns/{id}/duplicate': 'copies the campaign as a draft',
  'POST /api/v1/campaigns/{id}/start': 'starts the campaign',
  'POST /api/v1/campaigns/{id}/pause': 'pauses it',
  'POST /api/v1/campaigns/{id}/resume': 'resumes it',
  'POST /api/v1/campaigns/{id}/cancel': 'cancels it',
  'POST /api/v1/integrations/webhooks/{id}/rotate-secret': 'issues a new secret',
  'POST /api/v1/integrations/webhooks/{id}/enable': 'enables the endpoint',
  'POST /api/v1/integrations/webhooks/{id}/test': 'sends a test.ping event',
  'POST /api/v1/integrations/webhooks/deliveries/{deliveryId}/redeliver': 'sends the stored delivery again',
  'POST /api/v1/integrations/chatwoot/test': 'checks the stored token and inbox against Chatwoot',
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function operations(document: Document): Array<{ key: string; method: string; operation: Operation }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ key: `${method.toUpperCase()} ${path}`, method, operation: item[method] })),
  );
}

function resolve(document: Document, schema: Schema | undefined): Schema | undefined {
  return schema?.$ref ? document.components.schemas[schema.$ref.split('/').pop()!] : schema;
}

const nonEmpty = (s: Schema | undefined) => Boolean(s && (Object.keys(s.properties ?? {}).length > 0 || s.oneOf?.length || s.allOf?.length || s.type === 'array' || s.additionalProperties));

/** A script a client would write, sending a text, a template and a bulk request through types generated from /docs-json. */
const CLIENT = `
import type { paths } from './schema';

type JsonBody<P extends keyof paths> = paths[P] extends { post: { requestBody?: { content: { 'application/json': infer B } } } } ? B : never;
type Accepted<P extends keyof paths> = paths[P] extends { post: { responses: { 202: { content: { 'application/json': infer R } } } } } ? R : never;

async function post<P extends keyof paths>(baseUrl: string, path: P, body: JsonBody<P>): Promise<Accepted<P>> {
  const response = await fetch(baseUrl + String(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as Accepted<P>;
}

export async function sendAll(baseUrl: string): Promise<string[]> {
  const text = await post(baseUrl, '/api/v1/messages', { type: 'text', to: '+56912345678', text: { body: 'Hola Ana' } });
  const template = await post(baseUrl, '/api/v1/messages', {
    type: 'template',
    to: '+56912345678',
    template: { name: 'recordatorio_renta', language: 'es', variables: ['Ana', '30 de abril'] },
  });
  const bulk = await post(baseUrl, '/api/v1/messages/bulk', {
    type: 'template',
    template: { name: 'recordatorio_renta', language: 'es' },
    recipients: [{ to: '+56912345678', variables: ['Ana', '30 de abril'] }],
  });
  // @ts-expect-error a text message needs its text object
  await post(baseUrl, '/api/v1/messages', { type: 'text', to: '+56912345678' });
  // @ts-expect-error the discriminator ties the type to its object
  await post(baseUrl, '/api/v1/messages', { type: 'image', to: '+56912345678', text: { body: 'x' } });
  const ids: string[] = [text.id, template.conversationId, bulk.jobId];
  return ids;
}
`;

describe('OpenAPI contract (/docs-json)', () => {
  let app: TestApp;
  let document: Document;

  beforeAll(async () => {
    app = await createTestApp({ env: { APP_ROLES: 'api', PORT: '8148' } });
    document = (await http(app).get('/docs-json').expect(200)).body as Document;
  }, 60000);
  afterAll(() => app.close());

  it('gives every operation a summary', () => {
    expect(operations(document).filter(({ operation }) => !operation.summary).map(({ key }) => key)).toEqual([]);
  });

  it('gives every POST, PUT and PATCH a non-empty request schema, unless it is a body-less action', () => {
    const missing = operations(document)
      .filter(({ method, key }) => ['post', 'put', 'patch'].includes(method) && !BODYLESS_ACTIONS[key])
      .filter(({ operation }) => {
        const [mediaType, content] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
        // A raw non-JSON body (text/csv) is fully described by a string schema.
        const rawBody = mediaType !== undefined && !mediaType.includes('json') && content?.schema?.type === 'string';
        return !rawBody && !nonEmpty(resolve(document, content?.schema));
      })
      .map(({ key }) => key);
    expect(missing).toEqual([]);
    for (const key of Object.keys(BODYLESS_ACTIONS)) expect(operations(document).map((o) => o.key)).toContain(key);
  });

  it('gives every operation a success response with a schema (or 204)', () => {
    const missing = operations(document)
      .filter(({ operation }) => {
        const success = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
        return !success.some(([status, response]) => status === '204' || Object.values(response.content ?? {}).some((c) => c.schema));
      })
      .map(({ key }) => key);
    expect(missing).toEqual([]);
  });

  it('describes POST /messages as oneOf by type with a discriminator, and documents the query of GET /messages', () => {
    const schema = document.paths['/api/v1/messages'].post.requestBody!.content['application/json'].schema!;
    expect(schema.oneOf!.length).toBeGreaterThanOrEqual(11);
    expect(schema.discriminator).toMatchObject({ propertyName: 'type', mapping: expect.objectContaining({ text: expect.any(String), template: expect.any(String) }) });
    const names = ((document.paths['/api/v1/messages'].get as unknown as { parameters: Array<{ name: string }> }).parameters ?? []).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['status', 'direction', 'contactId', 'cursor', 'limit']));
  });

  it('generates a typed client whose text, template and bulk sends type-check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conversa-client-'));
    try {
      // The CLI, as a client's build would run it (the package is ESM-only for Jest).
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
      execFileSync(process.execPath, [join(dirname(require.resolve('openapi-typescript/package.json')), 'bin', 'cli.js'), join(dir, 'openapi.json'), '-o', join(dir, 'schema.ts')], { stdio: 'pipe', timeout: 30000 });
      writeFileSync(join(dir, 'client.ts'), CLIENT);
      const program = ts.createProgram([join(dir, 'client.ts')], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], skipLibCheck: true, types: [] });
      const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60000);

  it('documents every event type as an OpenAPI 3.1 webhook with its envelope and the signature headers', () => {
    const full = document as unknown as { openapi: string; webhooks: Record<string, { post: { parameters: Array<{ name: string }>; requestBody: { content: Record<string, { schema: { properties: Record<string, { enum?: string[] }> } }> } } }> };
    expect(full.openapi).toBe('3.1.0');
    expect(Object.keys(full.webhooks).sort()).toEqual([...EVENT_TYPES].sort());
    for (const [type, hook] of Object.entries(full.webhooks)) {
      expect(hook.post.parameters.map((p) => p.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
      const envelope = hook.post.requestBody.content['application/json'].schema;
      expect(Object.keys(envelope.properties)).toEqual(['id', 'type', 'createdAt', 'organizationId', 'data']);
      expect(envelope.properties.type.enum).toEqual([type]);
    }
  });
});
