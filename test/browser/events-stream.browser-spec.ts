import type { Page } from 'playwright-core';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { conversationFactory } from '../factories/contact.factory';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { DEFAULT_TEST_PASSWORD } from '../factories/user.factory';
import { launchBrowser, type Browser } from '../support/browser';
import { http } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestApp, waitFor, type TestApp } from '../support/test-app';

/** This file's ports: the app on 8930, the proxy the browser goes through on 8931, the Graph simulator on 8932. */
const APP_PORT = 8930;
const PROXY_PORT = 8931;

/** The browser's EventSource, as far as this page script uses it (the test compiles without the DOM typings). */
interface PageEventSource {
  readyState: number;
  onopen: (() => void) | null;
  onerror: (() => void) | null;
  addEventListener(type: string, listener: (event: { lastEventId: string; data: string }) => void): void;
}
type PageEventSourceClass = new (url: string) => PageEventSource;

interface PageEvent {
  type: string;
  id: string;
  data: { messageId?: string; direction?: string; status?: string };
}

/**
 * The real-time stream as a browser opens it: a plain `EventSource` in headless Chromium (no custom headers), with a
 * single-use ticket; after the connection is cut, the browser reconnects by itself with `Last-Event-ID` (its spent
 * ticket in the URL, its session cookie alongside) and gets what it missed from the outbox, once.
 */
describe('Event stream in a browser (EventSource)', () => {
  let app: TestApp;
  let sim: GraphSimulatorServer;
  let proxy: TcpProxy;
  let browser: Browser;
  let page: Page;
  let tenant: Tenant;
  let first: string;
  const streamRequests: Array<Promise<{ url: string; lastEventId: string | undefined }>> = [];

  beforeAll(async () => {
    sim = await startGraphSimulatorServer({ port: 8932 });
    app = await createTestApp({ env: { PORT: String(APP_PORT), META_GRAPH_BASE_URL: sim.url, OUTBOX_POLL_INTERVAL_MS: '20' } });
    proxy = new TcpProxy(PROXY_PORT, { host: '127.0.0.1', port: APP_PORT });
    await proxy.start();
    tenant = await createTenant(app);
    await conversationFactory.create(app.dataSource, { organizationId: tenant.organization.id, whatsappAccountId: tenant.account.id, contactId: tenant.contact.id, windowExpiresAt: new Date(Date.now() + 3600_000) });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('request', (request) => {
      // allHeaders: the headers as sent, Last-Event-ID included (the browser's network stack adds it).
      if (request.url().includes('/api/v1/events?')) streamRequests.push(request.allHeaders().then((headers) => ({ url: request.url(), lastEventId: headers['last-event-id'] })));
    });
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await app?.close();
    await sim?.close();
  });

  const send = async (body: string): Promise<string> =>
    (await http(app).post('/api/v1/messages').set('Authorization', `Bearer ${tenant.token}`).send({ to: tenant.contact.phoneE164, type: 'text', text: { body } }).expect(202)).body.id;
  const pageEvents = (): Promise<PageEvent[]> => page.evaluate(() => (globalThis as unknown as { events: PageEvent[] }).events);
  const createdFor = async (messageId: string) => (await pageEvents()).filter((e) => e.type === 'message.created' && e.data.messageId === messageId);

  it('receives an outbound message.created through an EventSource opened with a ticket', async () => {
    await page.goto(`http://127.0.0.1:${PROXY_PORT}/health/live`);
    await page.evaluate(
      async ({ email, password }) => {
        const w = globalThis as unknown as { events: unknown[]; states: string[]; source: unknown; EventSource: PageEventSourceClass; fetch: typeof fetch };
        w.events = [];
        w.states = [];
        // The web app's own login: an HttpOnly session cookie; the ticket is asked for with it (CSRF header on a POST).
        const login = await w.fetch('/api/v1/auth/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
        if (!login.ok) throw new Error(`login ${login.status}`);
        const ticket = await w.fetch('/api/v1/events/ticket', { method: 'POST', headers: { 'x-conversa-csrf': '1' } });
        if (!ticket.ok) throw new Error(`ticket ${ticket.status}`);
        const { ticket: value } = (await ticket.json()) as { ticket: string };
        const source = new w.EventSource(`/api/v1/events?ticket=${encodeURIComponent(value)}`);
        for (const type of ['message.created', 'message.status']) {
          source.addEventListener(type, (event) => w.events.push({ type, id: event.lastEventId, data: JSON.parse(event.data) }));
        }
        source.onopen = () => w.states.push('open');
        source.onerror = () => w.states.push(source.readyState === 2 ? 'closed' : 'reconnecting');
        w.source = source;
      },
      { email: tenant.owner.email, password: DEFAULT_TEST_PASSWORD },
    );
    await waitFor(async () => (await page.evaluate(() => (globalThis as unknown as { states: string[] }).states)).includes('open'), 10_000, 'stream open');
    first = await send('Primer mensaje');
    const [created] = await waitFor(async () => {
      const found = await createdFor(first);
      return found.length ? found : null;
    }, 10_000, 'message.created in the page');
    expect(created.id).toMatch(/^\d+$/);
    expect(created.data).toMatchObject({ messageId: first, direction: 'outbound' });
    expect(streamRequests).toHaveLength(1);
    const [opened] = await Promise.all(streamRequests);
    expect(opened.url).toContain('ticket=');
    expect(opened.lastEventId).toBeUndefined();
  });

  it('reconnects by itself after a cut with Last-Event-ID and gets the events it missed, without duplicates', async () => {
    // The first message's `sent` status is its last event: once it is in the page, nothing more is on its way before the cut.
    await waitFor(async () => (await pageEvents()).some((e) => e.type === 'message.status' && e.data.messageId === first && e.data.status === 'sent'), 10_000, 'the first message sent');
    const seenBefore = await pageEvents();
    const lastIdBefore = seenBefore.at(-1)!.id;
    // The link goes down: open connections reset, new ones refused until it is back.
    await proxy.close();
    await waitFor(async () => (await page.evaluate(() => (globalThis as unknown as { states: string[] }).states)).includes('reconnecting'), 10_000, 'the page notices the cut');
    const missed = [await send('Durante el corte 1'), await send('Durante el corte 2')];
    await waitFor(async () => {
      const rows = await app.dataSource.query(`SELECT 1 FROM outbox_event WHERE organization_id = $1 AND type = 'message.created' AND data->'message'->>'id' = ANY($2::text[])`, [tenant.organization.id, missed]);
      return rows.length === 2;
    }, 10_000, 'missed events written');
    // The messages sent during the cut reached the page by no path: what follows shows they come with the replay.
    const duringCut = await pageEvents();
    if (duringCut.length !== seenBefore.length) {
      // Seen once on a loaded CI machine (one event more, not reproduced since): logged to find out which.
      const states = await page.evaluate(() => (globalThis as unknown as { states: string[] }).states);
      process.stderr.write(`events during the cut: ${JSON.stringify({ seenBefore, duringCut, states })}\n`);
    }
    expect(duringCut.filter((e) => missed.includes(e.data.messageId ?? ''))).toEqual([]);
    await proxy.start();

    for (const id of missed) await waitFor(async () => (await createdFor(id)).length > 0, 20_000, `replayed message.created ${id}`);
    const states = await page.evaluate(() => (globalThis as unknown as { states: string[] }).states);
    expect(states).not.toContain('closed');
    // The browser's own reconnection: same URL (spent ticket), Last-Event-ID set to the last id it had.
    const requests = await Promise.all(streamRequests);
    const reconnect = requests.at(-1)!;
    expect(requests.length).toBeGreaterThan(1);
    expect(reconnect.url).toBe(requests[0].url);
    expect(BigInt(reconnect.lastEventId!)).toBeGreaterThanOrEqual(BigInt(lastIdBefore));
    // Live again, then: every id once, in increasing order.
    const live = await send('Después del corte');
    await waitFor(async () => (await createdFor(live)).length > 0, 10_000, 'live after the reconnect');
    await new Promise((done) => setTimeout(done, 500));
    // Every event has a numeric id (the sender's immediate status tick, which is not an outbox row, repeats the last
    // one); outbox events (message.created) arrive once each, in sequence order.
    const all = await pageEvents();
    expect(all.filter((e) => !/^\d+$/.test(e.id))).toEqual([]);
    // Never backwards: an id-less event numbered by the framework (1, 2, …) would send a reconnect back to the start.
    expect(all.filter((e, i) => i > 0 && BigInt(e.id) < BigInt(all[i - 1].id))).toEqual([]);
    const createdIds = all.filter((e) => e.type === 'message.created').map((e) => e.id);
    expect(new Set(createdIds).size).toBe(createdIds.length);
    expect([...createdIds].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))).toEqual(createdIds);
    for (const id of [first, ...missed, live]) expect(await createdFor(id)).toHaveLength(1);
  });
});
