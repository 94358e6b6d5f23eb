import { UserRole } from '../../src/database/entities/enums';
import { userFactory, DEFAULT_TEST_PASSWORD } from '../factories/user.factory';
import { http, login, loginOwner } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';

/** Mutating routes in the OpenAPI document that need no principal, each with its reason. */
const PUBLIC_BY_DESIGN: Record<string, string> = {
  'POST /api/v1/auth/login': 'how a caller gets a token in the first place',
  'POST /api/v1/auth/session': 'how a browser gets its session cookie in the first place',
  'DELETE /api/v1/auth/session': 'browser logout: only expires the caller\'s own cookie, touches no data',
};

/**
 * Mutating routes kept out of the document, public by design; listed so the exemption is explicit. Each
 * checks a credential of its own, so unauthenticated they answer that check's error, never UNAUTHORIZED.
 */
const UNDOCUMENTED_PUBLIC: Record<string, { reason: string; refusal: string }> = {
  'POST /webhooks/meta': { reason: "Meta's webhooks, verified by X-Hub-Signature-256", refusal: 'INVALID_SIGNATURE' },
  'POST /webhooks/meta/00000000-0000-4000-8000-000000000000': { reason: "per-account Meta webhooks, verified with the account's app secret", refusal: 'INVALID_SIGNATURE' },
  'POST /webhooks/kapso': { reason: "Kapso's webhooks, verified by X-Webhook-Signature", refusal: 'INVALID_SIGNATURE' },
  'POST /webhooks/chatwoot/00000000-0000-4000-8000-000000000000': { reason: "Chatwoot's webhooks, verified by X-Chatwoot-Signature or the callback's token", refusal: 'INVALID_SIGNATURE' },
  // Also public: ALL /sandbox/graph/*, the simulated Graph API; it takes only its sandbox accounts' tokens (sandbox.e2e-spec).
};

const MUTATING = ['post', 'put', 'patch', 'delete'] as const;
const RANKED: UserRole[] = [UserRole.Viewer, UserRole.Agent, UserRole.Admin, UserRole.Owner];
const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

interface Operation {
  method: (typeof MUTATING)[number];
  path: string;
  minRole?: UserRole;
  isPublic: boolean;
}

function mutatingOperations(document: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  return Object.entries(document.paths).flatMap(([template, item]) =>
    MUTATING.filter((method) => item[method]).map((method) => ({
      method,
      path: template.replace(/\{[^}]+\}/g, PLACEHOLDER_ID),
      minRole: item[method]['x-min-role'] as UserRole | undefined,
      isPublic: item[method]['x-public'] === true,
    })),
  );
}

/** Every non-GET route of the admin API, read from /docs-json, against every role: a new route cannot forget its role. */
describe('Route roles (from the OpenAPI document)', () => {
  let app: TestApp;
  const tokens = {} as Record<UserRole, string>;
  let operations: Operation[];

  beforeAll(async () => {
    // No sandbox account: an allowed request must not reach an outside simulator.
    app = await createTestApp({ env: { APP_ROLES: 'api', SANDBOX_ENABLED: 'false' } });
    tokens[UserRole.Owner] = await loginOwner(app);
    const users = await http(app).get('/api/v1/users').set('Authorization', `Bearer ${tokens[UserRole.Owner]}`).expect(200);
    const organizationId = users.body.data[0].organizationId as string;
    for (const role of [UserRole.Viewer, UserRole.Agent, UserRole.Admin]) {
      const user = await userFactory.create(app.dataSource, { organizationId, role });
      tokens[role] = await login(app, user.email, DEFAULT_TEST_PASSWORD);
    }
    const document = await http(app).get('/docs-json').expect(200);
    operations = mutatingOperations(document.body);
  });
  afterAll(() => app.close());

  const call = (op: Operation, token?: string) => {
    const request = http(app)[op.method](op.path).send({});
    return token ? request.set('Authorization', `Bearer ${token}`) : request;
  };
  const name = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;

  it('finds the mutating routes in the document', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(operations.map(name)).toEqual(expect.arrayContaining(['POST /api/v1/contacts', `POST /api/v1/conversations/${PLACEHOLDER_ID}/close`, 'POST /sandbox/inbound']));
  });

  it('has a declared minimum role on every mutating route except the public ones listed here', () => {
    const undeclared = operations.filter((op) => !op.isPublic && !op.minRole).map(name);
    expect(undeclared).toEqual([]);
    const publicOnes = operations.filter((op) => op.isPublic).map((op) => `${op.method.toUpperCase()} ${op.path}`);
    expect(publicOnes.sort()).toEqual(Object.keys(PUBLIC_BY_DESIGN).sort());
  });

  it('refuses a viewer with 403 on every mutating route, and every role below the declared one', async () => {
    const wrong: string[] = [];
    for (const op of operations.filter((o) => !o.isPublic)) {
      const below = RANKED.slice(0, Math.max(1, RANKED.indexOf(op.minRole ?? UserRole.Owner)));
      for (const role of below) {
        const response = await call(op, tokens[role]);
        if (response.status !== 403 || response.body.code !== 'FORBIDDEN') wrong.push(`${name(op)} as ${role}: ${response.status} ${response.body.code}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets the declared role and the ones above it past the role check', async () => {
    const wrong: string[] = [];
    for (const op of operations.filter((o) => !o.isPublic && o.minRole)) {
      for (const role of RANKED.slice(RANKED.indexOf(op.minRole!))) {
        const response = await call(op, tokens[role]);
        if (response.status === 401 || response.status === 403) wrong.push(`${name(op)} as ${role}: ${response.status} ${response.body.code}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers the listed public routes without a principal, each refusing by its own check', async () => {
    const answers: Record<string, string> = {};
    for (const op of operations.filter((o) => o.isPublic)) answers[name(op)] = (await call(op)).body.code;
    for (const route of Object.keys(UNDOCUMENTED_PUBLIC)) {
      const [method, path] = route.split(' ');
      answers[route] = (await http(app)[method.toLowerCase() as 'post'](path).set('Content-Type', 'application/json').send('{}')).body.code;
    }
    expect(answers).toEqual({
      'POST /api/v1/auth/login': 'VALIDATION_FAILED',
      'POST /api/v1/auth/session': 'VALIDATION_FAILED',
      // 204 with no body: nothing to refuse.
      'DELETE /api/v1/auth/session': undefined,
      ...Object.fromEntries(Object.entries(UNDOCUMENTED_PUBLIC).map(([route, { refusal }]) => [route, refusal])),
    });
  });
});
