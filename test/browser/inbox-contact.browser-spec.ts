import type { Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Contact } from '../../src/database/entities/contact.entity';
import { Message } from '../../src/database/entities/message.entity';
import { webDistDir } from '../../src/modules/web/web-app';
import { whatsappAccountFactory } from '../factories/whatsapp-account.factory';
import { launchBrowser, screenshot, seriousA11yViolations, type Browser } from '../support/browser';
import { http, loginOwner } from '../support/http';
import { freePorts } from '../support/ports';
import { createTestApp, waitFor, type TestApp } from '../support/test-app';

const OWNER = { email: 'owner@test.conversa', password: 'owner-password' };
const CUSTOMER = { phone: '+56997778888', name: 'Carla Contacto' };
// A 1×1 PNG: small enough for any limit, real enough for the browser to decode once it comes back from /api/v1/media.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** The inbox's contact panel, attachments, saved replies, quotes and reactions in a real headless Chromium. */
describe('Inbox web app: contact panel, attachments and saved replies (/app)', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    if (!existsSync(join(webDistDir(), 'index.html'))) throw new Error('web/dist is missing: run `npm run build` first');
    const [port] = await freePorts(1, 9040, 9059);
    app = await createTestApp({ env: { PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, SANDBOX_STATUS_DELAY_MS: '200' } });
    token = await loginOwner(app);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.baseUrl}/app/`);
    await page.getByLabel('Correo electrónico').fill(OWNER.email);
    await page.getByLabel('Contraseña').fill(OWNER.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { name: 'Bandeja de entrada' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const api = () => ({ Authorization: `Bearer ${token}` });
  const row = (name: string) => page.getByTestId('conversation-row').filter({ hasText: name });
  const bubble = (text: string) => page.getByTestId('message').filter({ hasText: text });
  const expectAccessible = async () => expect(await seriousA11yViolations(page)).toEqual([]);
  const contactRow = () => app.dataSource.getRepository(Contact).findOneBy({ phoneE164: CUSTOMER.phone });

  it('answers with a saved reply picked after "/", quoting the customer\'s message', async () => {
    await http(app).post('/api/v1/quick-replies').set(api()).send({ shortcut: 'horario', body: 'Abrimos de lunes a viernes, de 9:00 a 18:00.' }).expect(201);
    await http(app).post('/api/v1/quick-replies').set(api()).send({ shortcut: 'envio', body: 'Despachamos en 48 horas hábiles.' }).expect(201);
    await http(app).post('/sandbox/inbound').set(api()).send({ from: CUSTOMER.phone, text: '¿A qué hora abren mañana?', name: CUSTOMER.name }).expect(202);
    await row(CUSTOMER.name).click({ timeout: 10_000 });
    await bubble('¿A qué hora abren').waitFor();

    await bubble('¿A qué hora abren').getByRole('button', { name: /^Responder a:/ }).click();
    await page.getByTestId('reply-banner').filter({ hasText: '¿A qué hora abren mañana?' }).waitFor();
    const box = page.getByLabel('Escribe un mensaje');
    await box.fill('/');
    const menu = page.getByRole('listbox', { name: 'Respuestas guardadas' });
    await waitFor(async () => (await menu.getByRole('option').count()) === 2, 5000, 'both saved replies offered');
    await box.pressSequentially('horar');
    await waitFor(async () => (await menu.getByRole('option').count()) === 1, 5000, 'filtered to one');
    await screenshot(page, 'contact-01-quick-replies');
    await expectAccessible();
    await box.press('Enter');
    expect(await box.inputValue()).toBe('Abrimos de lunes a viernes, de 9:00 a 18:00.');
    await box.press('Enter');

    const sent = bubble('Abrimos de lunes a viernes');
    await sent.getByTestId('quote').filter({ hasText: '¿A qué hora abren mañana?' }).waitFor();
    const inbound = await app.dataSource.getRepository(Message).findOneByOrFail({ text: '¿A qué hora abren mañana?' });
    const stored = await waitFor(() => app.dataSource.getRepository(Message).findOneBy({ text: 'Abrimos de lunes a viernes, de 9:00 a 18:00.' }), 5000, 'sent row');
    expect(stored.replyToMessageId).toBe(inbound.id);
    await waitFor(async () => (await sent.getAttribute('data-status')) === 'read', 15_000, 'saved reply read');
  });

  it('uploads an attachment, sends it with a caption, and previews the stored file', async () => {
    await page.getByLabel('Adjuntar archivo').setInputFiles({ name: 'plano.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('attachment').filter({ hasText: 'plano.png' }).waitFor();
    await page.getByLabel('Escribe un mensaje').fill('Este es el plano de la tienda');
    await page.getByRole('button', { name: 'Enviar', exact: true }).click();

    const sent = bubble('Este es el plano de la tienda');
    const image = sent.getByRole('img', { name: 'Este es el plano de la tienda' });
    await image.waitFor({ timeout: 10_000 });
    // Decoded by the browser: the bytes went up through the media API and came back from GET /api/v1/media/:id.
    await waitFor(() => image.evaluate((img) => { const decoded = img as unknown as { complete: boolean; naturalWidth: number }; return decoded.complete && decoded.naturalWidth === 1; }), 5000, 'image decoded');
    const row = await app.dataSource.getRepository(Message).findOneByOrFail({ text: 'Este es el plano de la tienda' });
    expect(row).toMatchObject({ type: 'image', direction: 'outbound' });
    await waitFor(async () => (await sent.getAttribute('data-status')) === 'read', 15_000, 'attachment read');
    expect(await page.getByTestId('attachment').count()).toBe(0);
    await screenshot(page, 'contact-02-attachment');
    await expectAccessible();
  });

  it('shows the customer\'s reaction on the message it reacts to', async () => {
    const target = await app.dataSource.getRepository(Message).findOneByOrFail({ text: 'Este es el plano de la tienda' });
    expect(target.providerMessageId).toBeTruthy();
    await app.dataSource.query(
      `INSERT INTO message (organization_id, whatsapp_account_id, conversation_id, contact_id, direction, type, status, content, text, occurred_at, provider_message_id)
       VALUES ($1, $2, $3, $4, 'inbound', 'reaction', 'received', $5, NULL, now(), 'wamid.reaction-' || gen_random_uuid())`,
      [target.organizationId, target.whatsappAccountId, target.conversationId, target.contactId, { message_id: target.providerMessageId, emoji: '🙏' }],
    );
    await page.reload();
    await row(CUSTOMER.name).click();
    await bubble('Este es el plano de la tienda').getByTestId('reactions').filter({ hasText: '🙏' }).waitFor();
    expect(await page.getByTestId('message').filter({ hasText: '🙏' }).count()).toBe(1);
  });

  it('edits custom attributes, opts the contact out and in, and shows its history across conversations', async () => {
    const contact = (await contactRow())!;
    // An older conversation with the same customer on a second number of the organisation.
    const second = await whatsappAccountFactory.create(app.dataSource, app.config, { organizationId: contact.organizationId, isDefault: false, name: 'Sucursal' });
    const [{ id: older }] = await app.dataSource.query(
      `INSERT INTO conversation (organization_id, whatsapp_account_id, contact_id, status, last_message_at) VALUES ($1, $2, $3, 'closed', now() - interval '30 days') RETURNING id`,
      [contact.organizationId, second.id, contact.id],
    );
    await app.dataSource.query(
      `INSERT INTO message (organization_id, whatsapp_account_id, conversation_id, contact_id, direction, type, status, content, text, occurred_at)
       VALUES ($1, $2, $3, $4, 'inbound', 'text', 'received', '{"body":"Quiero cambiar una talla"}', 'Quiero cambiar una talla', now() - interval '30 days')`,
      [contact.organizationId, second.id, older, contact.id],
    );

    const panel = page.getByRole('complementary', { name: 'Contacto' });
    await panel.getByLabel('Atributo', { exact: true }).fill('plan');
    await panel.getByLabel('Valor', { exact: true }).fill('pro');
    await panel.getByRole('region', { name: 'Atributos' }).getByRole('button', { name: 'Guardar atributo' }).click();
    const plan = panel.getByLabel('plan', { exact: true });
    await plan.waitFor();
    await plan.fill('empresa');
    await plan.press('Enter');
    await waitFor(async () => (await contactRow())?.customAttributes.plan === 'empresa', 5000, 'attribute saved');
    await panel.getByLabel('Atributo', { exact: true }).fill('rut');
    await panel.getByLabel('Valor', { exact: true }).fill('12.345.678-5');
    await panel.getByRole('region', { name: 'Atributos' }).getByRole('button', { name: 'Guardar atributo' }).click();
    await panel.getByRole('button', { name: 'Quitar atributo rut' }).click();
    await waitFor(async () => {
      const attributes = (await contactRow())?.customAttributes;
      return attributes && !('rut' in attributes) && attributes.plan === 'empresa';
    }, 5000, 'attribute removed, the other kept');

    await panel.getByRole('button', { name: 'Dar de baja' }).click();
    await panel.getByTestId('consent').filter({ hasText: 'Dado de baja' }).waitFor();
    expect((await contactRow())?.optedOutAt).not.toBeNull();
    await panel.getByRole('button', { name: 'Volver a aceptar' }).click();
    await panel.getByTestId('consent').filter({ hasText: 'Acepta mensajes' }).waitFor();
    await waitFor(async () => (await contactRow())?.optedOutAt === null, 5000, 'opted back in');

    await panel.getByText('Historial').click();
    const history = panel.getByTestId('history');
    await history.filter({ hasText: 'Quiero cambiar una talla' }).waitFor();
    expect(await history.getByText('otra conversación').count()).toBe(1);
    expect(await history.textContent()).toContain('¿A qué hora abren mañana?');
    await panel.getByText('mensajes en 2 conversaciones').waitFor();
    await screenshot(page, 'contact-03-panel');
    await expectAccessible();
  });

  it('filters unassigned conversations and keeps the org-wide unread total in the title', async () => {
    await http(app).post('/sandbox/inbound').set(api()).send({ from: '+56991112222', text: 'Hola, soy Diego', name: 'Diego Sinasignar' }).expect(202);
    await row('Diego Sinasignar').waitFor({ timeout: 10_000 });
    await waitFor(async () => (await page.title()) === '(1) Conversa', 5000, 'unread total');
    await page.getByRole('button', { name: 'Asignarme' }).click();
    await page.getByRole('button', { name: 'Quitar asignación' }).waitFor();
    await page.getByRole('button', { name: 'Sin asignar', exact: true }).click();
    await row('Diego Sinasignar').waitFor();
    await waitFor(async () => (await row(CUSTOMER.name).count()) === 0, 5000, 'assigned conversation filtered out');
    // The list shows one page of one filter; the title still counts the whole organisation.
    expect(await page.title()).toBe('(1) Conversa');
    await page.getByRole('button', { name: 'Sin asignar', exact: true }).click();
    await row(CUSTOMER.name).waitFor();
  });

  it('erases the contact only after confirming, and the conversation leaves the inbox', async () => {
    // Still open from the tests above.
    await page.getByRole('heading', { name: CUSTOMER.name, level: 2 }).waitFor();
    const panel = page.getByRole('complementary', { name: 'Contacto' });
    await panel.getByRole('button', { name: 'Borrar contacto' }).click();
    const dialog = panel.getByRole('alertdialog');
    await dialog.filter({ hasText: '¿Borrar a' }).waitFor();
    await screenshot(page, 'contact-04-erase-confirm');
    await expectAccessible();
    await dialog.getByRole('button', { name: 'Cancelar' }).click();
    expect(await contactRow()).not.toBeNull();

    await panel.getByRole('button', { name: 'Borrar contacto' }).click();
    await panel.getByRole('button', { name: 'Sí, borrar para siempre' }).click();
    await waitFor(async () => (await row(CUSTOMER.name).count()) === 0, 10_000, 'conversation gone from the list');
    await page.getByText('Elige una conversación').waitFor();
    expect(await contactRow()).toBeNull();
    expect(await app.dataSource.getRepository(Message).countBy({ text: 'Quiero cambiar una talla' })).toBe(0);
  });
});
