import type { Page } from 'playwright-core';
import { webDistDir } from '../../src/modules/web/web-app';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, screenshot, seriousA11yViolations, type Browser } from '../support/browser';
import { http, loginOwner } from '../support/http';
import { createTestApp, waitFor, type TestApp } from '../support/test-app';

const PORT = 9020;
const OWNER = { email: 'owner@test.conversa', password: 'owner-password' };
const SETTINGS_TABS: Array<[string, string]> = [
  ['Cuentas de WhatsApp', 'accounts'], ['Plantillas', 'templates'], ['Agentes', 'agents'], ['Flujos', 'flows'],
  ['Usuarios y roles', 'users'], ['Claves de API', 'api-keys'], ['Webhooks salientes', 'webhooks'],
];

/** The admin screens in a real headless Chromium against Conversa with the sandbox: a campaign from creation to completion. */
describe('Admin screens of the web app (/app)', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    if (!existsSync(join(webDistDir(), 'index.html'))) throw new Error('web/dist is missing: run `npm run build` first');
    app = await createTestApp({ env: { PORT: String(PORT), PUBLIC_BASE_URL: `http://127.0.0.1:${PORT}`, SANDBOX_STATUS_DELAY_MS: '200' } });
    token = await loginOwner(app);
    await seedApprovedTemplate();
    for (const [phone, name] of [['+56981110001', 'Vip Uno'], ['+56981110002', 'Vip Dos']]) {
      await http(app).post('/api/v1/contacts').set('Authorization', `Bearer ${token}`).send({ phone, name, labels: ['vip'] }).expect(201);
    }
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    // A step that cannot happen fails with its locator named, well before the test's own timeout.
    page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const expectAccessible = async () => expect(await seriousA11yViolations(page)).toEqual([]);
  const nav = (name: string) => page.getByRole('navigation', { name: 'Secciones' }).getByRole('link', { name, exact: true });

  it('logs in and reaches every section from the navigation, by keyboard too', async () => {
    await page.goto(`${app.baseUrl}/app/`);
    await page.getByLabel('Correo electrónico').fill(OWNER.email);
    await page.getByLabel('Contraseña').fill(OWNER.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { name: 'Bandeja de entrada' }).waitFor();
    expect(await nav('Bandeja').getAttribute('aria-current')).toBe('page');
    await nav('Campañas').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Campañas', level: 1 }).waitFor();
    expect(page.url()).toMatch(/#\/campaigns$/);
    expect(await nav('Campañas').getAttribute('aria-current')).toBe('page');
    await screenshot(page, 'admin-01-campaigns');
    await expectAccessible();
  });

  it('creates a campaign from labels and a CSV, sees the row errors, starts it and watches it complete', async () => {
    await page.getByRole('link', { name: 'Nueva campaña' }).click();
    await page.getByLabel('Nombre').fill('Aviso de retiro');
    await page.getByLabel('Variable 1').fill('cliente');
    await waitFor(async () => (await page.getByTestId('campaign-preview').textContent()) === 'Hola cliente, tu pedido está listo para retirar.', 5000, 'preview');
    await page.getByLabel('Etiquetas de contactos (separadas por comas)').fill('vip');
    const csv = 'phone,1\n+56981110003,Carla\n+56981110001,Uno otra vez\nno-es-telefono,X\n';
    await page.getByLabel('Archivo CSV').setInputFiles({ name: 'audiencia.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('csv-columns').waitFor();
    await screenshot(page, 'admin-02-campaign-form');
    await expectAccessible();
    await page.getByRole('button', { name: 'Crear borrador' }).click();

    const result = page.getByTestId('csv-result');
    await result.waitFor();
    expect(await page.getByRole('table', { name: 'Filas con errores' }).textContent()).toContain('4');
    await screenshot(page, 'admin-03-csv-result');
    await expectAccessible();
    await page.getByRole('button', { name: 'Continuar' }).click();

    await page.getByRole('button', { name: 'Iniciar' }).click();
    const status = page.getByTestId('campaign-status');
    const seen = new Set<string>();
    await waitFor(async () => {
      seen.add((await status.textContent()) ?? '');
      return seen.has('Completada');
    }, 40_000, 'campaign completed');
    const progress = page.getByTestId('campaign-progress');
    expect(Number(await progress.getAttribute('value'))).toBe(Number(await progress.getAttribute('max')));
    expect(Number(await progress.getAttribute('max'))).toBe(3);
    await waitFor(async () => (await page.getByTestId('count-delivered').textContent()) === '3', 15_000, 'delivered counts');
    await waitFor(async () => (await page.getByTestId('campaign-row').filter({ hasText: 'Aviso de retiro' }).textContent())!.includes('3 de 3'), 10_000, 'progress in the list');
    await screenshot(page, 'admin-04-campaign-progress');
    await expectAccessible();

    await page.getByLabel('Estado', { exact: true }).selectOption('sent');
    await waitFor(async () => (await page.getByTestId('recipient-row').count()) === 3, 5000, 'sent recipients');
    const exportHref = await page.getByRole('link', { name: 'Exportar CSV' }).getAttribute('href');
    const exported = await page.evaluate(async (href) => (await fetch(href!)).text(), exportHref);
    expect(exported.split('\n')[0]).toContain('phone');
    expect(exported).toContain('+56981110003');
  }, 180_000);

  it('shows the analytics from the API as accessible bar lists', async () => {
    await nav('Analítica').click();
    await page.getByRole('heading', { name: 'Analítica', level: 1 }).waitFor();
    await page.getByTestId('kpis').waitFor();
    await page.getByRole('heading', { name: 'Tasas por campaña' }).waitFor();
    await page.getByText('Mensajes enviados por día').waitFor();
    await screenshot(page, 'admin-05-analytics');
    await expectAccessible();
  });

  it('opens every settings panel; tests the account connection and shows a new API key once', async () => {
    await nav('Ajustes').click();
    for (const [tab, file] of SETTINGS_TABS) {
      await page.getByRole('link', { name: tab, exact: true }).click();
      await page.getByRole('heading', { name: tab, level: 2 }).waitFor();
      if (tab === 'Cuentas de WhatsApp') {
        await page.getByRole('button', { name: 'Probar conexión' }).first().click();
        await page.getByRole('status').filter({ hasText: 'Conexión correcta' }).waitFor({ timeout: 10_000 });
      }
      if (tab === 'Plantillas') await page.getByTestId('template-row').filter({ hasText: 'pedido_listo' }).waitFor();
      if (tab === 'Claves de API') {
        await page.getByLabel('Nombre').fill('integración-e2e');
        await page.getByRole('button', { name: 'Crear' }).click();
        const key = await page.getByTestId('new-api-key').textContent();
        await http(app).get('/api/v1/auth/me').set('X-Api-Key', key!).expect(200);
      }
      if (tab === 'Agentes') {
        await page.getByLabel('El cliente escribe').fill('¿A qué hora abren?');
        await page.getByRole('button', { name: 'Probar', exact: true }).click();
        const reply = page.getByTestId('agent-reply');
        await reply.waitFor();
        expect(await reply.textContent()).toMatch(/^business_hours · \d+%.{10,}/);
      }
      await screenshot(page, `admin-06-settings-${file}`);
      await expectAccessible();
    }
  }, 180_000);

  it('fits a 360 px phone', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    for (const section of ['Campañas', 'Analítica', 'Ajustes']) {
      await nav(section).click();
      await page.getByRole('heading', { name: section, level: 1 }).waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    }
    await screenshot(page, 'admin-07-phone-settings');
    await expectAccessible();
  });

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
