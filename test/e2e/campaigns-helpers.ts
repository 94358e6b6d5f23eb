import { MessageTemplate } from '../../src/database/entities/message-template.entity';
import { TemplateCategory } from '../../src/database/entities/enums';
import type { OutboxEntry } from '../../src/modules/whatsapp/sandbox/graph-simulator.types';
import type { Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { type TestApp, waitFor } from '../support/test-app';

export const TEMPLATE = { name: 'campaign_hello', language: 'es' };

export function insertTemplate(app: TestApp, tenant: Tenant, category = TemplateCategory.Utility) {
  return app.dataSource.getRepository(MessageTemplate).save({
    organizationId: tenant.organization.id,
    whatsappAccountId: tenant.account.id,
    name: TEMPLATE.name,
    language: TEMPLATE.language,
    category,
    status: 'APPROVED',
    parameterFormat: 'POSITIONAL',
    components: [{ type: 'BODY', text: 'Hola {{1}}', example: { body_text: [['Ana']] } }],
  });
}

/** Chilean mobiles +5699<seed><5 digits>: valid for libphonenumber, distinct per seed. */
export function phones(n: number, seed: number, prefix = '+5699'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(seed).padStart(2, '0')}${String(i).padStart(5, '0')}`);
}

export async function insertContacts(app: TestApp, tenant: Tenant, numbers: string[], labels: string[]): Promise<void> {
  await app.dataSource.query(
    `INSERT INTO contact (organization_id, phone_e164, wa_id, labels) SELECT $1, p, substr(p, 2), $3::text[] FROM unnest($2::varchar[]) AS p`,
    [tenant.organization.id, numbers, labels],
  );
}

export function api(app: TestApp, tenant: Tenant) {
  const auth = (req: ReturnType<ReturnType<typeof http>['get']>) => req.set('Authorization', `Bearer ${tenant.token}`);
  return {
    create: (body: Record<string, unknown>) => auth(http(app).post('/api/v1/campaigns')).send(body),
    action: (id: string, action: string) => auth(http(app).post(`/api/v1/campaigns/${id}/${action}`)).send(),
    get: (id: string) => auth(http(app).get(`/api/v1/campaigns/${id}`)),
    recipients: (id: string, query = '') => auth(http(app).get(`/api/v1/campaigns/${id}/recipients${query}`)),
    csv: (id: string, text: string) => auth(http(app).post(`/api/v1/campaigns/${id}/audience/csv`)).set('Content-Type', 'text/csv').send(text),
    exportCsv: (id: string) => auth(http(app).get(`/api/v1/campaigns/${id}/recipients.csv`)),
  };
}

export async function waitForStatus(app: TestApp, tenant: Tenant, id: string, status: string, timeoutMs = 30000): Promise<Record<string, unknown>> {
  return waitFor(async () => {
    const res = await api(app, tenant).get(id).expect(200);
    return res.body.status === status ? res.body : null;
  }, timeoutMs, `campaign ${status}`);
}

/** Sends per recipient in the simulator's outbox (what "Meta" accepted). */
export function sendsByRecipient(outbox: OutboxEntry[], phoneNumberId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of outbox.filter((entry) => entry.phoneNumberId === phoneNumberId)) counts.set(String(e.body.to), (counts.get(String(e.body.to)) ?? 0) + 1);
  return counts;
}

/** Waits until no message of the campaign is being sent (the provider calls in flight have ended). */
export function waitNoneSending(app: TestApp, campaignId: string): Promise<boolean> {
  return waitFor(async () => {
    const [row] = await app.dataSource.query(`SELECT count(*)::int AS n FROM message WHERE campaign_id = $1 AND status IN ('queued', 'sending')`, [campaignId]);
    return row.n === 0;
  }, 10000, 'no send in flight');
}
