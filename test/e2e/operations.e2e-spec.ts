import { WebhookMaintenanceService } from '../../src/modules/webhooks/processing/webhook-maintenance.service';
import { http, loginOwner } from '../support/http';
import { ScratchRedis } from '../support/redis-server';
import { createTestApp, type TestApp } from '../support/test-app';

describe('Operations endpoints', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ env: { APP_ROLES: 'api', LOGIN_RATE_LIMIT_PER_MINUTE: '3', API_RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(() => app.close());

  it('serves liveness, readiness, Prometheus metrics and the OpenAPI document', async () => {
    await http(app).get('/health/live').expect(200, { status: 'ok' });
    const ready = await http(app).get('/health/ready').expect(200);
    expect(ready.body.info).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });
    const metrics = await http(app).get('/metrics').expect(200);
    expect(metrics.text).toContain('conversa_http_request_duration_seconds_bucket');
    expect(metrics.text).toMatch(/conversa_queue_jobs\{queue="inbound",state="waiting"\} \d+/);
    const openapi = await http(app).get('/docs-json').expect(200);
    expect(openapi.body.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/auth/login', '/api/v1/whatsapp/accounts', '/api/v1/messages', '/api/v1/conversations', '/api/v1/templates', '/api/v1/agents/test-response']) {
      expect(Object.keys(openapi.body.paths)).toContain(path);
    }
    await http(app).get('/docs').expect(200);
  });

  it('rate-limits logins per client with 429 and Retry-After', async () => {
    const attempt = () => http(app).post('/api/v1/auth/login').send({ email: 'nobody@test.conversa', password: 'wrong-password' });
    for (let i = 0; i < 3; i += 1) expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('rate-limits the API per user, across requests, with 429 and Retry-After', async () => {
    const fresh = await createTestApp({ env: { APP_ROLES: 'api', API_RATE_LIMIT_PER_MINUTE: '5' } });
    try {
      const token = await loginOwner(fresh);
      const statuses: number[] = [];
      for (let i = 0; i < 7; i += 1) statuses.push((await http(fresh).get('/api/v1/users').set('Authorization', `Bearer ${token}`)).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429]);
      // Webhooks and health are never throttled: Meta retries would only make it worse.
      for (let i = 0; i < 8; i += 1) await http(fresh).get('/health/live').expect(200);
    } finally {
      await fresh.close();
    }
  });

  it('answers readiness 503 naming Redis when Redis is down', async () => {
    const redis = new ScratchRedis(17379 + (process.pid % 1000));
    await redis.start();
    const isolated = await createTestApp({ env: { APP_ROLES: 'api', REDIS_URL: redis.url } });
    try {
      await http(isolated).get('/health/ready').expect(200);
      await redis.stop();
      const down = await http(isolated).get('/health/ready').expect(503);
      expect(down.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(down.body.details.error).toHaveProperty('redis');
      expect(down.body.details.info).toHaveProperty('postgres');
    } finally {
      await isolated.close().catch(() => undefined);
      await redis.stop();
    }
  });

  it('deletes processed raw events older than the retention period, and nothing else', async () => {
    await app.dataSource.query(
      `INSERT INTO webhook_event (provider, idempotency_key, payload, status, received_at, processed_at) VALUES
       ('meta', 'old-processed', '{}', 'processed', now() - interval '40 days', now() - interval '40 days'),
       ('meta', 'old-failed', '{}', 'failed', now() - interval '40 days', NULL),
       ('meta', 'recent-processed', '{}', 'processed', now(), now())`,
    );
    expect(await app.get(WebhookMaintenanceService).purge()).toBe(1);
    const left = await app.dataSource.query(`SELECT idempotency_key FROM webhook_event ORDER BY 1`);
    expect(left.map((r: { idempotency_key: string }) => r.idempotency_key)).toEqual(['old-failed', 'recent-processed']);
  });
});
