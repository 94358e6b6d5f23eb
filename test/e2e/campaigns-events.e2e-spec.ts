import { writeProgressIfDue } from '../../src/modules/campaigns/campaign-events';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, type TestApp, waitFor } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';
import { api, insertTemplate, phones, sendsByRecipient, TEMPLATE, waitForStatus } from './campaigns-helpers';

jest.setTimeout(90_000);

/** This file's loopback ports (8960–8979). */
const SIM_PORT = 8960;
const RECEIVER_PORT = 8961;
const APP_PORT = 8962;

interface CampaignEventData {
  campaignId: string;
  sent: number;
  delivered: number;
  failed: number;
  total: number;
}

describe('Campaign events: campaign.progress at most once a second, campaign.completed once', () => {
  let sim: GraphSimulatorServer;
  let app: TestApp;
  let rx: WebhookReceiver;

  beforeAll(async () => {
    sim = await startGraphSimulatorServer({ port: SIM_PORT });
    app = await createTestApp({
      env: { PORT: String(APP_PORT), META_GRAPH_BASE_URL: sim.url, APP_ROLES: 'api,worker', WORKER_CONCURRENCY: '16', WEBHOOK_ALLOW_PRIVATE_URLS: 'true', OUTBOX_POLL_INTERVAL_MS: '20' },
    });
    rx = await new WebhookReceiver(RECEIVER_PORT).start();
  });
  afterAll(async () => {
    await rx?.stop();
    await app?.close();
    await sim?.close();
  });

  const template = { type: 'template', template: { ...TEMPLATE, variables: ['x'] } };

  async function campaignWithRecipients(tenant: Tenant, n: number, seed: number): Promise<string> {
    await insertTemplate(app, tenant);
    const { body } = await api(app, tenant).create({ name: 'events', content: template, audience: { recipients: phones(n, seed).map((to) => ({ to })) } }).expect(201);
    return body.id;
  }

  /** The campaign's events in the outbox, in commit order, with their write time. */
  async function outboxEvents(campaignId: string, type: string): Promise<Array<{ at: number; data: CampaignEventData }>> {
    const rows: Array<{ createdAt: Date; data: CampaignEventData }> = await app.dataSource.query(
      `SELECT created_at AS "createdAt", data FROM outbox_event WHERE type = $1 AND data->>'campaignId' = $2 ORDER BY seq`,
      [type, campaignId],
    );
    return rows.map((r) => ({ at: r.createdAt.getTime(), data: r.data }));
  }

  const delivered = (campaignId: string, type: string) =>
    rx.received.map((r) => JSON.parse(r.body) as { type: string; data: CampaignEventData }).filter((e) => e.type === type && e.data.campaignId === campaignId);

  it('delivers progress at most once a second while running, none while paused, and exactly one completed with the final counts', async () => {
    // 20/s over 120 recipients: about 6 s of sending, with a pause of 2.5 s in the middle.
    const tenant = await createTenant(app, { rateLimitPerSecond: 20 });
    await http(app).post('/api/v1/integrations/webhooks').set('Authorization', `Bearer ${tenant.token}`).send({ url: rx.url, events: ['campaign.progress', 'campaign.completed'] }).expect(201);
    const id = await campaignWithRecipients(tenant, 120, 61);
    await api(app, tenant).action(id, 'start').expect(200);
    await waitFor(async () => (sendsByRecipient(sim.simulator.outbox, tenant.account.phoneNumberId).size >= 40 ? true : null), 20000, '40 sent');
    await api(app, tenant).action(id, 'pause').expect(200);
    const atPause = (await outboxEvents(id, 'campaign.progress')).length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await outboxEvents(id, 'campaign.progress')).toHaveLength(atPause);
    await api(app, tenant).action(id, 'resume').expect(200);
    await waitForStatus(app, tenant, id, 'completed', 30000);

    const progress = await outboxEvents(id, 'campaign.progress');
    expect(progress.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].at - progress[i - 1].at).toBeGreaterThanOrEqual(1000);
      expect(progress[i].data.sent).toBeGreaterThanOrEqual(progress[i - 1].data.sent);
    }
    expect(progress.every((p) => p.data.total === 120 && p.data.failed === 0)).toBe(true);
    expect(progress.some((p) => p.data.sent > 0 && p.data.sent < 120)).toBe(true);

    const completed = await outboxEvents(id, 'campaign.completed');
    expect(completed).toHaveLength(1);
    expect(completed[0].data).toEqual({ campaignId: id, sent: 120, delivered: expect.any(Number), failed: 0, total: 120 });
    // The receiver gets every event of the outbox, and no second completed turns up later.
    await waitFor(async () => (delivered(id, 'campaign.progress').length === progress.length && delivered(id, 'campaign.completed').length === 1 ? true : null), 15000, 'events delivered');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(delivered(id, 'campaign.completed')).toHaveLength(1);
    expect(await outboxEvents(id, 'campaign.completed')).toHaveLength(1);
    expect(delivered(id, 'campaign.completed')[0].data).toEqual(completed[0].data);
  });

  it('lets one of several concurrent writers emit progress, then none until a second has passed', async () => {
    const tenant = await createTenant(app);
    const id = await campaignWithRecipients(tenant, 3, 62);
    // Running without a runner job: only these writers emit.
    await app.dataSource.query(`UPDATE campaign SET status = 'running', started_at = now() WHERE id = $1`, [id]);
    const race = () => Promise.all(Array.from({ length: 6 }, () => app.dataSource.transaction((manager) => writeProgressIfDue(manager, id))));
    expect((await race()).filter(Boolean)).toHaveLength(1);
    expect((await race()).filter(Boolean)).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await race()).filter(Boolean)).toHaveLength(1);
    const progress = await outboxEvents(id, 'campaign.progress');
    expect(progress.map((p) => p.data)).toEqual([
      { campaignId: id, sent: 0, delivered: 0, failed: 0, total: 3 },
      { campaignId: id, sent: 0, delivered: 0, failed: 0, total: 3 },
    ]);
    await app.dataSource.query(`UPDATE campaign SET status = 'paused' WHERE id = $1`, [id]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await race()).filter(Boolean)).toHaveLength(0);
  });
});
