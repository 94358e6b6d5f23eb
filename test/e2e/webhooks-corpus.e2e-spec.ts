import { WebhookEvent } from '../../src/database/entities/webhook-event.entity';
import { Message } from '../../src/database/entities/message.entity';
import { Contact } from '../../src/database/entities/contact.entity';
import { whatsappAccountFactory } from '../factories/whatsapp-account.factory';
import { organizationFactory } from '../factories/organization.factory';
import { createHash } from 'node:crypto';
import { kapsoCorpus, metaCorpus, phoneNumberIds } from '../support/corpus';
import { startGraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { createTestApp, drainQueues, type TestApp } from '../support/test-app';
import { postKapso, postMeta } from '../support/webhooks';

/** Every third-party payload in test/fixtures/whatsapp-corpus goes through the real HTTP endpoint and the worker. */
describe('Webhook corpus through /webhooks/meta and /webhooks/kapso', () => {
  let app: TestApp;
  let graph: Awaited<ReturnType<typeof startGraphSimulatorServer>>;
  const meta = metaCorpus();
  const kapso = kapsoCorpus();
  // Identical bodies are one event (the idempotency key is the body's hash, or Kapso's header).
  const distinctEvents = new Set([...meta.map((f) => createHash('sha256').update(f.body).digest('hex')), ...kapso.map((f) => f.file)]).size;

  beforeAll(async () => {
    // Media downloads go to the simulator (which knows none of the corpus's media ids: they fail permanently).
    graph = await startGraphSimulatorServer();
    app = await createTestApp({ env: { META_GRAPH_BASE_URL: graph.url } });
    const organization = await organizationFactory.create(app.dataSource);
    const ids = new Set([...meta, ...kapso].flatMap((f) => phoneNumberIds(f.body)));
    for (const phoneNumberId of ids) {
      await whatsappAccountFactory.create(app.dataSource, app.config, { organizationId: organization.id, phoneNumberId, isDefault: false });
    }
  });
  afterAll(async () => {
    await app.close();
    await graph.close();
  });

  it('finds the corpus', () => {
    expect(meta.length).toBeGreaterThan(100);
    expect(kapso.length).toBeGreaterThanOrEqual(15);
  });

  it('acknowledges every Meta and Kapso file with 200 and processes every one of them', async () => {
    for (const file of meta) {
      const response = await postMeta(app, file.body);
      expect({ file: file.file, status: response.status }).toEqual({ file: file.file, status: 200 });
    }
    for (const file of kapso) {
      const response = await postKapso(app, file.body, file.eventName, `corpus-${file.file}`);
      expect({ file: file.file, status: response.status }).toEqual({ file: file.file, status: 200 });
    }
    await drainQueues(app, 60000);
    const events = await app.dataSource.getRepository(WebhookEvent).find();
    expect(events).toHaveLength(distinctEvents);
    const notProcessed = events.filter((e) => e.status !== 'processed').map((e) => ({ status: e.status, error: e.error, items: e.itemErrors }));
    expect(notProcessed).toEqual([]);
    // The one item no processor can apply: a synthetic stub change without metadata.phone_number_id.
    const itemErrors = events.flatMap((e) => e.itemErrors ?? []);
    expect(itemErrors.map((e) => e.path)).toEqual(['entry[0].changes[15].message_echoes[0]']);
  });

  it('wrote the rows the payloads imply', async () => {
    const messages = app.dataSource.getRepository(Message);
    const byProviderId = async (id: string) => messages.findOneBy({ providerMessageId: id });
    // A batch with three messages in one change: all three stored, not just the first.
    const batch = JSON.parse(meta.find((f) => f.file.startsWith('batch-one-change-3-messages'))!.body.toString());
    const batchIds: string[] = batch.entry[0].changes[0].value.messages.map((m: { id: string }) => m.id);
    for (const id of batchIds) expect(await byProviderId(id)).not.toBeNull();
    // Two changes in one entry: both applied.
    const twoChanges = JSON.parse(meta.find((f) => f.file.startsWith('batch-one-entry-two-changes'))!.body.toString());
    for (const change of twoChanges.entry[0].changes) {
      for (const m of change.value.messages ?? []) expect(await byProviderId(m.id)).not.toBeNull();
    }
    // A BSUID-only sender becomes a contact without a phone number.
    const bsuidOnly = JSON.parse(meta.find((f) => f.file === 'inbound-text-bsuid-only-no-from.netflie.json')!.body.toString());
    const bsuid = bsuidOnly.entry[0].changes[0].value.contacts[0].user_id;
    const contact = await app.dataSource.getRepository(Contact).findOneByOrFail({ bsuid });
    expect(contact.phoneE164).toBeNull();
    // Text bodies are searchable text; inbound rows are `received` (a real captured body with a unique id).
    const text = JSON.parse(meta.find((f) => f.file === 'inbound-text.lowkruc-go-whatsapp-api.json')!.body.toString()).entry[0].changes[0].value.messages[0];
    expect(await byProviderId(text.id)).toMatchObject({ direction: 'inbound', status: 'received', type: 'text', text: text.text.body });
    // Business-app echoes are outbound rows.
    // (The corpus reuses placeholder ids such as <WHATSAPP_MESSAGE_ID> across files, so look them up by kind.)
    const echoes = await messages.findBy({ kind: 'echo' });
    expect(echoes.length).toBeGreaterThan(0);
    // Kapso's outbound events also carry status history, so some echoes have moved on from `sent`.
    expect(echoes.every((m) => m.direction === 'outbound' && ['sent', 'delivered', 'read', 'failed'].includes(m.status))).toBe(true);
    // A Kapso inbound message is stored like a Meta one.
    const kapsoReceived = JSON.parse(kapso.find((f) => f.file === 'whatsapp.message.received.json')!.body.toString());
    expect(await byProviderId(kapsoReceived.message.id)).toMatchObject({ direction: 'inbound' });
  });

  it('records a marketing resume from user_preferences on the contact', async () => {
    const resume = JSON.parse(meta.find((f) => f.file === 'user-preferences.meta-docs.json')!.body.toString()).entry[0].changes[0].value.user_preferences[0];
    const contact = await app.dataSource.getRepository(Contact).findOneByOrFail({ waId: resume.wa_id });
    expect(contact).toMatchObject({ optOutSource: 'user_preferences', optedOutAt: null });
  });

  it('stores nothing new when the whole corpus is delivered a second time', async () => {
    const before = await app.dataSource.getRepository(Message).count();
    for (const file of meta.slice(0, 40)) await postMeta(app, file.body).expect(200);
    await drainQueues(app, 60000);
    expect(await app.dataSource.getRepository(Message).count()).toBe(before);
    expect(await app.dataSource.getRepository(WebhookEvent).count()).toBe(distinctEvents);
  });
});
