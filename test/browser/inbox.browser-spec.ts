import type { Page } from 'playwright-core';
import { Conversation } from '../../src/database/entities/conversation.entity';
import { Message } from '../../src/database/entities/message.entity';
import { GraphSimulator } from '../../src/modules/whatsapp/sandbox/graph-simulator';
import { webDistDir } from '../../src/modules/web/web-app';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, SCREENSHOT_DIR, screenshot, seriousA11yViolations, type Browser } from '../support/browser';
import { http, loginOwner } from '../support/http';
import { createTestApp, waitFor, type TestApp } from '../support/test-app';

const PORT = 8810;
const OWNER = { email: 'owner@test.conversa', password: 'owner-password' };

/** The inbox in a real headless Chromium against Conversa with the sandbox: what an agent does in a day. */
describe('Inbox web app (/app)', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    if (!existsSync(join(webDistDir(), 'index.html'))) throw new Error('web/dist is missing: run `npm run build` first');
    app = await createTestApp({ env: { PORT: String(PORT), PUBLIC_BASE_URL: `http://127.0.0.1:${PORT}`, SANDBOX_STATUS_DELAY_MS: '300' } });
    token = await loginOwner(app);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const inbound = (from: string, text: string, name: string) =>
    http(app).post('/sandbox/inbound').set('Authorization', `Bearer ${token}`).send({ from, text, name }).expect(202);
  const row = (name: string) => page.getByTestId('conversation-row').filter({ hasText: name });
  const expectAccessible = async () => expect(await seriousA11yViolations(page)).toEqual([]);

  it('logs in with the session cookie (HttpOnly, SameSite=Strict), in Spanish', async () => {
    await page.goto(`${app.baseUrl}/app/`);
    await page.getByLabel('Correo electrónico').fill(OWNER.email);
    await page.getByLabel('Contraseña').fill('wrong-password');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('alert').filter({ hasText: 'Correo o contraseña incorrectos' }).waitFor();
    await screenshot(page, '01-login');
    await expectAccessible();

    await page.getByLabel('Contraseña').fill(OWNER.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { name: 'Bandeja de entrada' }).waitFor();
    const cookie = (await browser.context.cookies()).find((c) => c.name === 'conversa_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('shows a new customer message live, with the unread total in the title', async () => {
    await inbound('+56993334444', 'Hola, necesito ayuda con mi pedido', 'Ana Live');
    await row('Ana Live').waitFor({ timeout: 10_000 });
    await waitFor(async () => (await page.title()) === '(1) Conversa', 5000, 'unread total in the title');
    await screenshot(page, '02-inbox');
    await expectAccessible();
  });

  it('answers it and sees the ticks advance to read', async () => {
    await row('Ana Live').click();
    await page.getByTestId('message').filter({ hasText: 'necesito ayuda' }).waitFor();
    await waitFor(async () => (await page.title()) === 'Conversa', 5000, 'title without unread');
    await page.getByLabel('Escribe un mensaje').fill('¡Hola Ana! Lo revisamos ahora.');
    await page.getByRole('button', { name: 'Enviar', exact: true }).click();
    const reply = page.getByTestId('message').filter({ hasText: 'Lo revisamos ahora' });
    await reply.waitFor();
    const seen: string[] = [];
    await waitFor(async () => {
      const status = await reply.getAttribute('data-status');
      if (status && seen.at(-1) !== status) seen.push(status);
      return status === 'read';
    }, 15_000, 'read ticks');
    expect(seen).toContain('read');
    expect(await reply.getByTestId('ticks').getAttribute('aria-label')).toBe('Leído');
    await screenshot(page, '03-conversation');
    await expectAccessible();
  });

  it('shows a failed message with its error and retries it', async () => {
    app.get(GraphSimulator).injectFault({ kind: 'undeliverable131026', match: { to: '+56993334444' }, times: 1 });
    await page.getByLabel('Escribe un mensaje').fill('Este primero falla');
    await page.getByRole('button', { name: 'Enviar', exact: true }).click();
    const failed = page.getByTestId('message').filter({ hasText: 'Este primero falla' });
    await failed.getByRole('alert').filter({ hasText: '131026' }).waitFor({ timeout: 15_000 });
    await screenshot(page, '04-failed');
    await failed.getByRole('button', { name: 'Reintentar' }).click();
    await waitFor(async () => (await failed.getAttribute('data-status')) === 'read', 15_000, 'retried message read');
    expect(await failed.getByRole('alert').count()).toBe(0);
  });

  it('offers only templates once the window has closed, with a live preview, and sends one', async () => {
    const seeded = await inbound('+56995556666', 'Hola, ¿siguen abiertos?', 'Bruno Cerrado');
    const message = await waitFor(() => app.dataSource.getRepository(Message).findOneBy({ providerMessageId: seeded.body.providerMessageId }), 10_000, 'inbound row');
    // The customer wrote 25 hours ago: the window is closed.
    await app.dataSource.getRepository(Conversation).update(message.conversationId, { windowExpiresAt: new Date(Date.now() - 3600_000) });
    await seedApprovedTemplate();
    await page.reload();
    await row('Bruno Cerrado').click();
    await page.getByText('La ventana de 24 horas está cerrada').waitFor();
    expect(await page.getByLabel('Escribe un mensaje').count()).toBe(0);
    await page.getByLabel('Variable 1').fill('Bruno');
    await waitFor(async () => (await page.getByTestId('template-preview').textContent()) === 'Hola Bruno, tu pedido está listo para retirar.', 5000, 'live preview');
    await screenshot(page, '05-template-picker');
    await expectAccessible();
    await page.getByRole('button', { name: 'Enviar plantilla' }).click();
    await page.getByTestId('message').filter({ hasText: 'Hola Bruno, tu pedido' }).waitFor({ timeout: 10_000 });
  });

  it('pauses the bot, adds a note and a label', async () => {
    await page.getByRole('button', { name: 'Pausar bot' }).click();
    await page.getByRole('button', { name: 'Reanudar bot' }).waitFor();
    await page.getByLabel('Nueva nota').fill('Pregunta por horario de retiro');
    await page.getByRole('button', { name: 'Guardar nota' }).click();
    await page.getByText('Pregunta por horario de retiro').waitFor();
    await page.getByLabel('Nueva etiqueta').fill('vip');
    await page.getByRole('button', { name: 'Añadir' }).click();
    await page.getByRole('button', { name: 'Quitar etiqueta vip' }).waitFor();
    const conversation = await app.dataSource.getRepository(Conversation).findOneByOrFail({ id: (await currentConversationId()) });
    expect(conversation).toMatchObject({ botPaused: true, labels: ['vip'] });
    await screenshot(page, '06-contact-panel');
    await expectAccessible();
  });

  it('switches to English and fits a 360 px phone', async () => {
    await page.getByLabel('Idioma').first().selectOption('en');
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.setViewportSize({ width: 360, height: 740 });
    await screenshot(page, '07-phone-conversation');
    await page.getByRole('button', { name: 'Back to the list' }).click();
    await row('Ana Live').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await screenshot(page, '08-phone-inbox');
    await expectAccessible();
  });

  it('keeps the list light with 10,000 conversations (virtualised) and opens one quickly', async () => {
    await seedConversations(10_000);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.reload();
    await row('Cliente 00001').waitFor();
    const scroller = page.locator('.conversation-scroller');
    const loaded = async () => Math.round(Number.parseFloat((await page.locator('.conversation-list').getAttribute('style'))!.replace(/[^\d.]/g, '')) / 76);
    // Scroll to the end until at least 1,000 conversations are loaded (50 per page, fetched as the end nears).
    await waitFor(async () => {
      await scroller.evaluate((element) => element.scrollTo(0, element.scrollHeight));
      return (await loaded()) >= 1000;
    }, 40_000, '1,000 conversations loaded');
    const inDom = await page.getByTestId('conversation-row').count();
    expect(inDom).toBeLessThan(60);
    await scroller.evaluate((element) => element.scrollTo(0, 0));
    await row('Cliente 00001').waitFor();
    const opened = Date.now();
    await row('Cliente 00001').click();
    await page.getByTestId('message').first().waitFor();
    const openMs = Date.now() - opened;
    writeFileSync(join(SCREENSHOT_DIR, 'figures.json'), JSON.stringify({ loadedConversations: await loaded(), rowsInDom: inDom, openConversationMs: openMs }, null, 2));
    expect(openMs).toBeLessThan(2000);
  });

  async function seedConversations(count: number): Promise<void> {
    const [{ organization_id: org, id: account }] = await app.dataSource.query(`SELECT organization_id, id FROM whatsapp_account LIMIT 1`);
    await app.dataSource.query(
      `WITH c AS (
         INSERT INTO contact (organization_id, phone_e164, wa_id, name, created_at)
         SELECT $1, '+5698' || lpad(g::text, 7, '0'), '5698' || lpad(g::text, 7, '0'), 'Cliente ' || lpad(g::text, 5, '0'), now() - make_interval(days => 2)
         FROM generate_series(1, $3::int) g RETURNING id, name)
       INSERT INTO conversation (organization_id, whatsapp_account_id, contact_id, status, unread_count, last_message_at, last_message_preview)
       SELECT $1, $2, c.id, 'open', 0, now() - make_interval(days => 1, secs => substring(c.name from 9)::int), 'Hola, consulta ' || c.name FROM c`,
      [org, account, count],
    );
    const [conversation] = await app.dataSource.query(`SELECT c.* FROM conversation c JOIN contact k ON k.id = c.contact_id WHERE k.name = 'Cliente 00001'`);
    await app.dataSource.query(
      `INSERT INTO message (organization_id, whatsapp_account_id, conversation_id, contact_id, direction, type, status, content, text, occurred_at)
       VALUES ($1, $2, $3, $4, 'inbound', 'text', 'received', '{"body":"Hola"}', 'Hola', now() - interval '1 day')`,
      [org, account, conversation.id, conversation.contact_id],
    );
  }

  async function currentConversationId(): Promise<string> {
    const rows = await app.dataSource.query(`SELECT c.id FROM conversation c JOIN contact k ON k.id = c.contact_id WHERE k.phone_e164 = '+56995556666'`);
    return rows[0].id as string;
  }

  async function seedApprovedTemplate(): Promise<void> {
    const accounts = await http(app).get('/api/v1/whatsapp/accounts').set('Authorization', `Bearer ${token}`).expect(200);
    const created = await http(app)
      .post('/api/v1/templates')
      .set('Authorization', `Bearer ${token}`)
      .send({ accountId: accounts.body.data[0].id, name: 'pedido_listo', language: 'es', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hola {{1}}, tu pedido está listo para retirar.', example: { body_text: [['Ana']] } }] })
      .expect(201);
    // Meta's approval arrives later as a webhook; the seed stands in for it.
    await app.dataSource.query(`UPDATE message_template SET status = 'APPROVED' WHERE id = $1`, [created.body.id]);
  }
});
