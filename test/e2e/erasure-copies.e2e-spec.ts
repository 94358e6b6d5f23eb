import { Contact } from '../../src/database/entities/contact.entity';
import { createTenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, drainQueues, waitFor, type TestApp } from '../support/test-app';
import { metaMessagesPayload, postMeta } from '../support/webhooks';

/** Erasing a contact removes its events from the outbound-webhook outbox (which holds message texts) too. */
describe('Contact erasure and the integrations copies', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ env: { PORT: '8941' } });
  }, 60000);
  afterAll(() => app.close());

  it('leaves no outbox event that names the contact, its number or its text, but contact.erased (its id alone)', async () => {
    const tenant = await createTenant(app, { autoRepliesEnabled: false });
    const from = '56977001122';
    const secret = 'texto-secreto-de-la-persona-borrada';
    await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id: 'wamid.erase-copies', from, text: secret }] })).expect(200);
    await drainQueues(app);
    const contact = await waitFor(() => app.dataSource.getRepository(Contact).findOneBy({ organizationId: tenant.organization.id, waId: from }), 10000, 'the contact');
    const mentions = async () =>
      Number((await app.dataSource.query(`SELECT count(*)::int AS n FROM outbox_event WHERE data::text LIKE ANY($1::text[])`, [[`%${secret}%`, `%${from}%`, `%${contact.id}%`]]))[0].n);
    expect(await mentions()).toBeGreaterThan(0);

    await http(app).delete(`/api/v1/contacts/${contact.id}`).set('Authorization', `Bearer ${tenant.token}`).expect(200);
    // Only the erasure itself names the contact, by id alone, so receivers erase their copies too.
    expect(await mentions()).toBe(1);
    const [erased] = await app.dataSource.query(`SELECT type, data FROM outbox_event WHERE data::text LIKE $1`, [`%${contact.id}%`]);
    expect(erased).toEqual({ type: 'contact.erased', data: { contactId: contact.id } });
  });
});
