import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Message } from '../../src/database/entities/message.entity';
import { WhatsappAccount } from '../../src/database/entities/whatsapp-account.entity';
import { WhatsappAccountsService } from '../../src/modules/whatsapp/accounts/whatsapp-accounts.service';
import { GraphSimulator } from '../../src/modules/whatsapp/sandbox/graph-simulator';
import { postSignedWebhook } from '../../src/modules/whatsapp/sandbox/simulator-webhooks';
import { http, loginOwner } from '../support/http';
import { createTestApp, waitFor, type TestApp } from '../support/test-app';

const PORT = 8146;
const MEDIA_DIR = `/tmp/conversa-media-test-${process.pid}`;
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2048)]);

/** Media ids in message payloads download; uploaded files are sent by their id. Sandbox account, real HTTP. */
describe('Media', () => {
  let app: TestApp;
  let token: string;
  let account: WhatsappAccount;
  const auth = () => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    app = await createTestApp({ env: { PORT: String(PORT), PUBLIC_BASE_URL: `http://127.0.0.1:${PORT}`, SANDBOX_STATUS_DELAY_MS: '10', MEDIA_DIR } });
    token = await loginOwner(app);
    [account] = await app.dataSource.getRepository(WhatsappAccount).findBy({ provider: 'sandbox' as WhatsappAccount['provider'] });
  }, 60000);
  afterAll(async () => {
    await app.close();
    rmSync(MEDIA_DIR, { recursive: true, force: true });
  });

  const message = (id: string) => http(app).get(`/api/v1/messages/${id}`).set(auth()).expect(200);

  async function customerSendsImage(from: string): Promise<Message> {
    const stored = app.get(GraphSimulator).resources.addMedia(account.phoneNumberId, JPEG, 'image/jpeg', 'foto.jpg');
    const wamid = `wamid.image-${Date.now()}`;
    const value = {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '56900000000', phone_number_id: account.phoneNumberId },
      contacts: [{ profile: { name: 'Ana' }, wa_id: from }],
      messages: [{ from, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), type: 'image', image: { id: stored.id, mime_type: 'image/jpeg', sha256: stored.sha256, caption: 'mi boleta' } }],
    };
    const payload = { object: 'whatsapp_business_account', entry: [{ id: account.wabaId, changes: [{ field: 'messages', value }] }] };
    const secret = (await app.get(WhatsappAccountsService).appSecret(account.id))!;
    const delivery = await postSignedWebhook(`${app.config.PUBLIC_BASE_URL}/webhooks/meta/${account.id}`, payload, secret);
    expect(delivery.status).toBe(200);
    return waitFor(() => app.dataSource.getRepository(Message).findOneBy({ providerMessageId: wamid }), 15000, 'inbound image');
  }

  it('gives received media an id in the message payload that GET /api/v1/media/:id downloads, with type, size and name', async () => {
    const received = await customerSendsImage('56993330001');
    const media = await waitFor(async () => {
      const timeline = await http(app).get(`/api/v1/conversations/${received.conversationId}/messages`).set(auth()).expect(200);
      const image = timeline.body.data.find((m: { id: string }) => m.id === received.id);
      return image.media?.status === 'stored' ? image.media : null;
    }, 15000, 'media stored');
    // Meta names documents only; an image arrives without a filename.
    expect(media).toMatchObject({ mimeType: 'image/jpeg', sizeBytes: JPEG.length, filename: null });
    expect((await message(received.id)).body.media).toEqual(media);
    const file = await http(app).get(`/api/v1/media/${media.id}`).set(auth()).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(file.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.compare(file.body as Buffer, JPEG)).toBe(0);
  });

  it('uploads a file and sends it by the id the upload answered', async () => {
    const upload = await http(app).post('/api/v1/media').set(auth()).attach('file', JPEG, { filename: 'catalogo.jpg', contentType: 'image/jpeg' }).expect(201);
    expect(upload.body).toMatchObject({ id: expect.any(String), mimeType: 'image/jpeg', sizeBytes: JPEG.length, filename: 'catalogo.jpg', accountId: account.id, status: 'stored' });
    const inbound = await http(app).post('/sandbox/inbound').set(auth()).send({ from: '+56993330002', text: 'Mándeme el catálogo' }).expect(202);
    const customer = await waitFor(() => app.dataSource.getRepository(Message).findOneBy({ providerMessageId: inbound.body.providerMessageId }), 15000, 'inbound');
    const sent = await http(app).post('/api/v1/messages').set(auth()).send({ conversationId: customer.conversationId, type: 'image', image: { id: upload.body.id, caption: 'Catálogo' } }).expect(202);
    await waitFor(async () => (await app.dataSource.getRepository(Message).findOneBy({ id: sent.body.id }))?.providerMessageId, 15000, 'sent');
    const simulator = app.get(GraphSimulator);
    const outgoing = simulator.outbox.find((e) => (e.body.image as { caption?: string } | undefined)?.caption === 'Catálogo')!;
    const providerMedia = simulator.resources.media.get((outgoing.body.image as { id: string }).id)!;
    expect(Buffer.compare(providerMedia.buffer, JPEG)).toBe(0);
    expect((await message(sent.body.id)).body.media).toMatchObject({ id: upload.body.id, mimeType: 'image/jpeg', filename: 'catalogo.jpg' });
  });

  it('refuses a type WhatsApp does not take, a file over its type limit, a non-multipart body and an unknown id', async () => {
    expect((await http(app).post('/api/v1/media').set(auth()).attach('file', Buffer.from('<html></html>'), { filename: 'x.html', contentType: 'text/html' }).expect(415)).body.code).toBe('MEDIA_TYPE_NOT_ALLOWED');
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 1);
    expect((await http(app).post('/api/v1/media').set(auth()).attach('file', big, { filename: 'big.png', contentType: 'image/png' }).expect(413)).body.code).toBe('MEDIA_TOO_LARGE');
    expect((await http(app).post('/api/v1/media').set(auth()).send({ file: 'x' }).expect(415)).body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const sent = await http(app).post('/api/v1/messages').set(auth()).send({ to: '+56993330003', type: 'image', image: { id: '00000000-0000-4000-8000-000000000000' } }).expect(404);
    expect(sent.body.code).toBe('MEDIA_NOT_FOUND');
  });
});
