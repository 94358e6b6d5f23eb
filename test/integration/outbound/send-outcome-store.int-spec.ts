import { Contact } from '../../../src/database/entities/contact.entity';
import { MessageDirection, MessageStatus } from '../../../src/database/entities/enums';
import { Message } from '../../../src/database/entities/message.entity';
import { ParkedStatus } from '../../../src/database/entities/parked-status.entity';
import { MessageStatusService } from '../../../src/modules/communications/messages/message-status.service';
import { SendOutcomeStore } from '../../../src/modules/communications/outbound/send-outcome.store';
import { contactFactory, conversationFactory } from '../../factories/contact.factory';
import { createTenant, type Tenant } from '../../factories/tenant.factory';
import { createTestApp, type TestApp } from '../../support/test-app';

/**
 * The group-committed steps of a send (load, claim, sent) against real PostgreSQL: each caller gets its own
 * answer, a claim is won once, and a status webhook racing the send response is never lost.
 */
describe('SendOutcomeStore (group commit)', () => {
  let app: TestApp;
  let tenant: Tenant;
  let store: SendOutcomeStore;
  let statuses: MessageStatusService;

  beforeAll(async () => {
    app = await createTestApp({ env: { APP_ROLES: 'api' } });
    tenant = await createTenant(app);
    store = app.get(SendOutcomeStore);
    statuses = app.get(MessageStatusService);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function outboundRows(count: number, status: MessageStatus): Promise<Message[]> {
    const rows: Message[] = [];
    for (let i = 0; i < count; i++) {
      const contact = await contactFactory.create(app.dataSource, { organizationId: tenant.organization.id });
      const conversation = await conversationFactory.create(app.dataSource, { organizationId: tenant.organization.id, whatsappAccountId: tenant.account.id, contactId: contact.id });
      rows.push(
        await app.dataSource.getRepository(Message).save({
          organizationId: tenant.organization.id,
          whatsappAccountId: tenant.account.id,
          conversationId: conversation.id,
          contactId: contact.id,
          direction: MessageDirection.Outbound,
          status,
          type: 'text',
          content: { body: `hola ${i}` },
          text: `hola ${i}`,
          occurredAt: new Date(),
        }),
      );
    }
    return rows;
  }

  const reload = (id: string) => app.dataSource.getRepository(Message).findOneByOrFail({ id });

  it('loads many rows at once and answers each caller with its own row (null for an unknown id)', async () => {
    const rows = await outboundRows(12, MessageStatus.Queued);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const loaded = await Promise.all([...rows.map((r) => store.load(r.id)), store.load(unknown)]);
    expect(loaded.slice(0, 12).map((r) => r?.id)).toEqual(rows.map((r) => r.id));
    expect(loaded[0]).toMatchObject({ status: 'queued', phoneE164: expect.stringMatching(/^\+569/), rateLimitPerSecond: tenant.account.rateLimitPerSecond });
    expect(loaded[12]).toBeNull();
  });

  it('gives each claim to exactly one caller, even when the same id is claimed twice at once', async () => {
    const rows = await outboundRows(20, MessageStatus.Queued);
    const first = await Promise.all(rows.flatMap((r) => [store.claim(r.id), store.claim(r.id)]));
    for (let i = 0; i < rows.length; i++) expect([first[2 * i], first[2 * i + 1]].filter(Boolean)).toHaveLength(1);
    // Claimed already: a second round wins nothing, and each row counts one attempt.
    expect(await Promise.all(rows.map((r) => store.claim(r.id)))).toEqual(rows.map(() => false));
    for (const r of rows) expect(await reload(r.id)).toMatchObject({ status: 'sending', attempts: 1 });
  });

  it('marks a batch sent with its provider ids and the contacts last outbound time', async () => {
    const rows = await outboundRows(15, MessageStatus.Sending);
    const before = Date.now();
    await Promise.all(rows.map((r, i) => store.markSent(r, `wamid.batch-${before}-${i}`)));
    for (const [i, r] of rows.entries()) {
      const message = await reload(r.id);
      expect(message).toMatchObject({ status: 'sent', providerMessageId: `wamid.batch-${before}-${i}` });
      expect(message.sentAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      const contact = await app.dataSource.getRepository(Contact).findOneByOrFail({ id: r.contactId });
      expect(contact.lastOutboundAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    }
  });

  it('applies a status that arrived before the send response, and never loses one that races it', async () => {
    const rows = await outboundRows(40, MessageStatus.Sending);
    const stamp = Date.now();
    const providerId = (i: number) => `wamid.race-${stamp}-${i}`;
    // The first ten statuses are parked before the send is recorded; the other thirty race it.
    for (let i = 0; i < 10; i++) {
      await statuses.apply({ whatsappAccountId: tenant.account.id, providerMessageId: providerId(i), status: MessageStatus.Delivered, occurredAt: new Date() });
    }
    await Promise.all(
      rows.flatMap((r, i) => [
        store.markSent(r, providerId(i)),
        ...(i >= 10 ? [statuses.apply({ whatsappAccountId: tenant.account.id, providerMessageId: providerId(i), status: MessageStatus.Delivered, occurredAt: new Date() })] : []),
      ]),
    );
    for (const r of rows) expect((await reload(r.id)).status).toBe('delivered');
    const left = await app.dataSource.getRepository(ParkedStatus).createQueryBuilder('p').where('p.provider_message_id LIKE :prefix', { prefix: `wamid.race-${stamp}-%` }).getCount();
    expect(left).toBe(0);
  });

  it('applies two concurrent status batches for the same messages in bulk, each change once with its event', async () => {
    const rows = await outboundRows(30, MessageStatus.Sending);
    const stamp = Date.now();
    const providerId = (i: number) => `wamid.bulk-${stamp}-${i}`;
    await Promise.all(rows.map((r, i) => store.markSent(r, providerId(i))));
    const batch = (status: MessageStatus) => rows.map((_, i) => ({ whatsappAccountId: tenant.account.id, providerMessageId: providerId(i), status, occurredAt: new Date() }));
    // Each write is a compare-and-set on the status read: the batch that loses re-reads and writes again, in bulk.
    const [delivered, read] = await Promise.all([statuses.applyKnownInBulk(batch(MessageStatus.Delivered)), statuses.applyKnownInBulk(batch(MessageStatus.Read))]);
    expect(delivered.every(Boolean) && read.every(Boolean)).toBe(true);
    for (const r of rows) expect(await reload(r.id)).toMatchObject({ status: 'read', deliveredAt: expect.any(Date), readAt: expect.any(Date) });
    const events: Array<{ status: string; n: number }> = await app.dataSource.query(
      `SELECT data->>'status' AS status, count(*)::int AS n FROM outbox_event WHERE type = 'message.status' AND data->>'messageId' = ANY($1::text[]) GROUP BY 1 ORDER BY 1`,
      [rows.map((r) => r.id)],
    );
    // Delivered may arrive after read (then it only records its time): at most one event per status per message.
    expect(events.find((e) => e.status === 'read')?.n).toBe(30);
    expect(events.find((e) => e.status === 'sent')?.n).toBe(30);
    expect(events.find((e) => e.status === 'delivered')?.n ?? 0).toBeLessThanOrEqual(30);
  });

  it('looks up a provider id again shortly when its send response is still being recorded', async () => {
    const rows = await outboundRows(2, MessageStatus.Sending);
    const stamp = Date.now();
    await store.markSent(rows[0], `wamid.soon-${stamp}-0`);
    const applying = statuses.applyKnownInBulk(rows.map((_, i) => ({ whatsappAccountId: tenant.account.id, providerMessageId: `wamid.soon-${stamp}-${i}`, status: MessageStatus.Delivered, occurredAt: new Date() })));
    await store.markSent(rows[1], `wamid.soon-${stamp}-1`);
    expect(await applying).toEqual([true, true]);
    for (const r of rows) expect((await reload(r.id)).status).toBe('delivered');
  });

  it('does not touch a row that is no longer sending', async () => {
    const [row] = await outboundRows(1, MessageStatus.Failed);
    await store.markSent(row, `wamid.late-${Date.now()}`);
    expect(await reload(row.id)).toMatchObject({ status: 'failed', providerMessageId: null });
  });
});
