import { Worker } from 'bullmq';
import { UserRole } from '../../src/database/entities/enums';
import { JobProducer } from '../../src/queues/job-producer.service';
import { QueueName } from '../../src/queues/queue-names';
import { DEFAULT_TEST_PASSWORD, userFactory } from '../factories/user.factory';
import { http, login, loginOwner } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';

const METRICS_TOKEN = 'metrics-scrape-token-for-tests';

/** Operator-facing edges: the queue dashboard's access rules, /docs/, a protected /metrics, account settings. */
describe('Operator access', () => {
  let app: TestApp;
  const tokens = {} as Record<UserRole, string>;
  let accountId: string;
  const bearer = (role: UserRole) => `Bearer ${tokens[role]}`;

  beforeAll(async () => {
    app = await createTestApp({ env: { PORT: '8141', APP_ROLES: 'api', METRICS_TOKEN } });
    tokens[UserRole.Owner] = await loginOwner(app);
    const users = await http(app).get('/api/v1/users').set('Authorization', bearer(UserRole.Owner)).expect(200);
    const organizationId = users.body.data[0].organizationId as string;
    for (const role of [UserRole.Viewer, UserRole.Agent, UserRole.Admin]) {
      const user = await userFactory.create(app.dataSource, { organizationId, role });
      tokens[role] = await login(app, user.email, DEFAULT_TEST_PASSWORD);
    }
    const accounts = await http(app).get('/api/v1/whatsapp/accounts').set('Authorization', bearer(UserRole.Owner)).expect(200);
    accountId = accounts.body.data[0].id;
  }, 60000);
  afterAll(() => app.close());

  describe('/admin/queues', () => {
    it('answers 401 to an anonymous caller and 403 to viewers and agents', async () => {
      const anonymous = await http(app).get('/admin/queues').expect(401);
      expect(anonymous.body.code).toBe('UNAUTHORIZED');
      await http(app).get('/admin/queues/api/queues').expect(401);
      for (const role of [UserRole.Viewer, UserRole.Agent]) {
        const refused = await http(app).get('/admin/queues').set('Authorization', bearer(role)).expect(403);
        expect(refused.body.code).toBe('FORBIDDEN');
      }
    });

    it('serves the dashboard and its queue list to an owner and an admin', async () => {
      const page = await http(app).get('/admin/queues').set('Authorization', bearer(UserRole.Owner)).expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const queues = await http(app).get('/admin/queues/api/queues').set('Authorization', bearer(UserRole.Admin)).expect(200);
      expect(queues.body.queues.map((q: { name: string }) => q.name)).toEqual(expect.arrayContaining([QueueName.Inbound, QueueName.Outbound]));
    });

    it('lets an owner retry failed jobs, and keeps admins read-only', async () => {
      const queue = app.get(JobProducer).queue(QueueName.Maintenance);
      await queue.add('dashboard-probe', {}, { attempts: 1 });
      // A worker without a processor takes the job by hand, so it fails with no handler involved.
      const worker = new Worker(queue.name, null, { connection: queue.opts.connection, prefix: queue.opts.prefix });
      const taken = (await worker.getNextJob('probe-token'))!;
      await taken.moveToFailed(new Error('probe failure'), 'probe-token', false);
      await worker.close();
      const job = (await queue.getJob(taken.id!))!;
      const retry = `/admin/queues/api/queues/${QueueName.Maintenance}/retry/failed`;
      const refused = await http(app).put(retry).set('Authorization', bearer(UserRole.Admin)).expect(403);
      expect(refused.body.code).toBe('FORBIDDEN');
      expect(await job.getState()).toBe('failed');
      await http(app).put(`/admin/queues/api/queues/${QueueName.Maintenance}/pause`).set('Authorization', bearer(UserRole.Owner)).expect(403);
      await http(app).put(retry).set('Authorization', bearer(UserRole.Owner)).expect(200);
      expect(await job.getState()).toBe('waiting');
      await job.remove();
    });

    it('accepts an API key as well as a bearer token', async () => {
      const key = await http(app).post('/api/v1/api-keys').set('Authorization', bearer(UserRole.Owner)).send({ name: 'dashboard', role: 'admin' }).expect(201);
      await http(app).get('/admin/queues/api/queues').set('X-API-Key', key.body.key).expect(200);
    });
  });

  it('serves the API docs at /docs/ as at /docs, every asset the page names included', async () => {
    for (const path of ['/docs', '/docs/']) {
      const page = await http(app).get(path).expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const assets = [...page.text.matchAll(/(?:src|href)="(\.[^"]+)"/g)].map((match) => new URL(match[1], `${app.baseUrl}${path}`).pathname);
      expect(assets).toContain('/docs/swagger-ui-init.js');
      for (const asset of assets) await http(app).get(asset).expect(200);
    }
  });

  it('asks for METRICS_TOKEN on /metrics when it is set', async () => {
    expect((await http(app).get('/metrics').expect(401)).body.code).toBe('UNAUTHORIZED');
    await http(app).get('/metrics').set('Authorization', 'Bearer not-the-token').expect(401);
    const scrape = await http(app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(scrape.text).toContain('conversa_http_request_duration_seconds');
  });

  describe('account timezone and business hours', () => {
    const patch = (body: object) => http(app).patch(`/api/v1/whatsapp/accounts/${accountId}`).set('Authorization', bearer(UserRole.Owner)).send(body);

    it('stores a weekly schedule with holidays and an IANA timezone', async () => {
      const businessHours = { weekly: { mon: [['09:00', '13:00'], ['14:00', '18:00']], sat: [['10:00', '13:00']] }, holidays: ['2026-09-18'] };
      const updated = await patch({ timezone: 'America/Bogota', businessHours }).expect(200);
      expect(updated.body).toMatchObject({ timezone: 'America/Bogota', businessHours });
      const read = await http(app).get(`/api/v1/whatsapp/accounts/${accountId}`).set('Authorization', bearer(UserRole.Viewer)).expect(200);
      expect(read.body).toMatchObject({ timezone: 'America/Bogota', businessHours });
    });

    it('refuses an invalid timezone with 400 and keeps the stored one', async () => {
      const refused = await patch({ timezone: 'Mars/Olympus' }).expect(400);
      expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', message: 'Invalid request: timezone' });
      const read = await http(app).get(`/api/v1/whatsapp/accounts/${accountId}`).set('Authorization', bearer(UserRole.Owner)).expect(200);
      expect(read.body.timezone).toBe('America/Bogota');
    });

    it('refuses a malformed schedule or holiday with 400', async () => {
      for (const businessHours of [{ weekly: { monday: [['09:00', '18:00']] } }, { weekly: { mon: [['18:00', '09:00']] } }, { weekly: {}, holidays: ['2026-02-30'] }]) {
        const refused = await patch({ businessHours }).expect(400);
        expect(refused.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['businessHours']);
      }
    });
  });
});
