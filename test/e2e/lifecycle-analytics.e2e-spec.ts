import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AnalyticsRollupService } from '../../src/modules/lifecycle/analytics/analytics-rollup.service';
import { JobName } from '../../src/queues/job-names';
import { JobProducer } from '../../src/queues/job-producer.service';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, drainQueues, type TestApp } from '../support/test-app';
import { insertMessage, seedConversation, type SeededConversation } from './inbox-helpers';

/** Santiago in January is UTC−3; the account opens weekdays 09:00–18:00. */
const local = (date: string, clock: string) => new Date(`${date}T${clock}-03:00`);
const WEEKDAY: Array<[string, string]> = [['09:00', '18:00']];
const RANGE = 'from=2030-01-14T00:00:00Z&to=2030-01-21T00:00:00Z';

async function say(ds: DataSource, s: SeededConversation, direction: 'inbound' | 'outbound', at: Date, agentName: string | null = null): Promise<void> {
  const id = await insertMessage(ds, s.conversation, { text: `${direction} ${at.toISOString()}`, direction, occurredAt: at });
  if (agentName) await ds.query(`UPDATE message SET agent_name = $2 WHERE id = $1`, [id, agentName]);
}

async function milestone(ds: DataSource, s: SeededConversation, kind: string, at: Date): Promise<void> {
  await ds.query(`INSERT INTO analytics_milestone (organization_id, conversation_id, kind, occurred_at) VALUES ($1, $2, $3, $4)`, [s.conversation.organizationId, s.conversation.id, kind, at]);
}

describe('Lifecycle: analytics reports over a hand-written conversation set', () => {
  let app: TestApp;
  let a: Tenant;
  let b: Tenant;
  const auth = (tenant: Tenant) => ({ Authorization: `Bearer ${tenant.token}` });

  beforeAll(async () => {
    app = await createTestApp({ env: { APP_ROLES: 'api,worker' } });
    a = await createTenant(app, { timezone: 'America/Santiago', businessHours: { weekly: { mon: WEEKDAY, tue: WEEKDAY, wed: WEEKDAY, thu: WEEKDAY, fri: WEEKDAY } } });
    b = await createTenant(app);
    const ds = app.dataSource;
    // Opened Tuesday 17:00, bot answers, hands off; a person answers Wednesday 11:05 (3 business hours across the night), closes at 12:05.
    const handled = await seedConversation(ds, a, { conversation: { assigneeUserId: a.owner.id, labels: ['ventas'] } });
    await say(ds, handled, 'inbound', local('2030-01-15', '17:00:00'));
    await say(ds, handled, 'outbound', local('2030-01-15', '17:00:30'), 'greeting');
    await ds.query(`INSERT INTO agent_run (organization_id, conversation_id, trigger_key, outcome, created_at) VALUES ($1, $2, $3, 'handoff', $4)`, [
      a.organization.id,
      handled.conversation.id,
      randomUUID(),
      local('2030-01-15', '17:05:00'),
    ]);
    await say(ds, handled, 'inbound', local('2030-01-15', '17:06:00'));
    await say(ds, handled, 'outbound', local('2030-01-16', '11:05:00'));
    await say(ds, handled, 'outbound', local('2030-01-16', '11:10:00'));
    await milestone(ds, handled, 'closed', local('2030-01-16', '12:05:00'));
    // Reopened by the customer on Thursday, answered in 20 minutes.
    await say(ds, handled, 'inbound', local('2030-01-17', '10:00:00'));
    await say(ds, handled, 'outbound', local('2030-01-17', '10:20:00'));
    // The bot resolves one alone in 30 minutes.
    const automatic = await seedConversation(ds, a);
    await say(ds, automatic, 'inbound', local('2030-01-15', '10:00:00'));
    await say(ds, automatic, 'outbound', local('2030-01-15', '10:00:05'), 'support');
    await milestone(ds, automatic, 'closed', local('2030-01-15', '10:30:00'));
    const otherTenant = await seedConversation(ds, b);
    await say(ds, otherTenant, 'inbound', local('2030-01-15', '10:00:00'));

    await app.get(JobProducer).enqueue(JobName.RollupAnalytics, {});
    await drainQueues(app);
  }, 60_000);
  afterAll(() => app?.close());

  it('overview: counts, rates, and first response and resolution medians and p90 to the second, wall and business', async () => {
    const response = await http(app).get(`/api/v1/analytics/overview?${RANGE}`).set(auth(a)).expect(200);
    expect(response.body).toEqual({
      range: { from: '2030-01-14T00:00:00.000Z', to: '2030-01-21T00:00:00.000Z' },
      conversations: { opened: 3, resolved: 2 },
      messages: { inbound: 4, outbound: 5 },
      autoResolutionRate: 0.5,
      handoffRate: 0.3333,
      firstResponseSeconds: { median: 1200, p90: 18 * 3600, business: { median: 1200, p90: 3 * 3600 } },
      resolutionSeconds: { median: 1800, p90: 19 * 3600, business: { median: 1800, p90: 4 * 3600 } },
      series: [
        { day: '2030-01-15', opened: 2, resolved: 2, inbound: 3, outbound: 4 },
        { day: '2030-01-17', opened: 1, resolved: 0, inbound: 1, outbound: 1 },
      ],
    });
    // A range not on whole UTC days reads the cycles instead of the daily rollups: the same answer.
    const exact = await http(app).get('/api/v1/analytics/overview?from=2030-01-14T00:00:01Z&to=2030-01-20T23:59:59Z').set(auth(a)).expect(200);
    expect({ ...exact.body, range: undefined }).toEqual({ ...response.body, range: undefined });
    const labelled = await http(app).get(`/api/v1/analytics/overview?${RANGE}&label=ventas`).set(auth(a)).expect(200);
    expect(labelled.body).toMatchObject({ conversations: { opened: 2, resolved: 1 }, firstResponseSeconds: { median: 1200, p90: 18 * 3600 }, autoResolutionRate: 0 });
    const other = await http(app).get(`/api/v1/analytics/overview?${RANGE}`).set(auth(b)).expect(200);
    expect(other.body.conversations).toEqual({ opened: 1, resolved: 0 });
  });

  it('distribution, agents, window, filters and CSV', async () => {
    const distribution = await http(app).get(`/api/v1/analytics/first-response-distribution?${RANGE}`).set(auth(a)).expect(200);
    expect(distribution.body.buckets).toEqual([
      { bucket: '0-1h', conversations: 1 },
      { bucket: '1-4h', conversations: 0 },
      { bucket: '4-8h', conversations: 0 },
      { bucket: '8-24h', conversations: 1 },
      { bucket: '>24h', conversations: 0 },
    ]);
    const agents = await http(app).get(`/api/v1/analytics/agents?${RANGE}`).set(auth(a)).expect(200);
    expect(agents.body.data).toEqual([{ userId: a.owner.id, name: a.owner.name, email: a.owner.email, conversations: 2, replies: 3, medianFirstResponseSeconds: 1200 }]);
    const window = await http(app).get(`/api/v1/analytics/window?${RANGE}`).set(auth(a)).expect(200);
    expect(window.body).toMatchObject({ conversations: 3, windowExpired: 0, share: 0 });
    const byAgent = await http(app).get(`/api/v1/analytics/overview?${RANGE}&agent=${a.owner.id}`).set(auth(a)).expect(200);
    expect(byAgent.body.conversations).toEqual({ opened: 2, resolved: 1 });
    const csv = await http(app).get(`/api/v1/analytics/first-response-distribution?${RANGE}`).set(auth(a)).set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toBe('bucket,conversations\r\n0-1h,1\r\n1-4h,0\r\n4-8h,0\r\n8-24h,1\r\n>24h,0\r\n');
    const bad = await http(app).get('/api/v1/analytics/overview?from=2030-02-01&to=2030-01-01').set(auth(a)).expect(400);
    expect(bad.body.code).toBe('INVALID_DATE_RANGE');
    expect((await http(app).get(`/api/v1/analytics/campaigns/${randomUUID()}`).set(auth(a)).expect(404)).body.code).toBe('CAMPAIGN_NOT_FOUND');
  });

  it('the rollup skips conversations that hold nothing but campaign sends, and takes them up once the customer writes', async () => {
    const since = new Date(Date.now() - 1000);
    const broadcastOnly = await seedConversation(app.dataSource, a);
    const campaignSend = await insertMessage(app.dataSource, broadcastOnly.conversation, { text: 'Oferta', direction: 'outbound' });
    await app.dataSource.query(`UPDATE message SET campaign_id = $2 WHERE id = $1`, [campaignSend, randomUUID()]);
    await app.dataSource.query(`UPDATE conversation SET last_message_at = now(), updated_at = now() WHERE id = $1`, [broadcastOnly.conversation.id]);
    const rollup = app.get(AnalyticsRollupService);
    expect(await rollup.changedSince(since)).not.toContain(broadcastOnly.conversation.id);

    await insertMessage(app.dataSource, broadcastOnly.conversation, { text: 'Me interesa' });
    expect(await rollup.changedSince(since)).toContain(broadcastOnly.conversation.id);
  });

  it('closing and reopening from the API records the milestones the next rollup reads', async () => {
    const s = await seedConversation(app.dataSource, a);
    await http(app).post(`/api/v1/conversations/${s.conversation.id}/close`).set(auth(a)).expect(200);
    await http(app).post(`/api/v1/conversations/${s.conversation.id}/reopen`).set(auth(a)).expect(200);
    const rows = await app.dataSource.query(`SELECT kind FROM analytics_milestone WHERE conversation_id = $1 ORDER BY occurred_at, created_at`, [s.conversation.id]);
    expect(rows.map((row: { kind: string }) => row.kind)).toEqual(['closed', 'reopened']);
  });
});
