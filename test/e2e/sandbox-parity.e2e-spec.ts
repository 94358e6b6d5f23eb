import { Message } from '../../src/database/entities/message.entity';
import { JobName } from '../../src/queues/job-names';
import { jobIdFor } from '../../src/queues/job-options';
import { JobProducer } from '../../src/queues/job-producer.service';
import { QueueName } from '../../src/queues/queue-names';
import { MessageTemplate } from '../../src/database/entities/message-template.entity';
import { http, loginOwner } from '../support/http';
import { createTestApp, waitFor, type TestApp } from '../support/test-app';

const PORT = 8145;

function template(name: string): Record<string, unknown> {
  return { name, language: 'es', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hola {{1}}, su trámite está listo.', example: { body_text: [['Ana']] } }] };
}

/** The sandbox behaves like Meta: templates are reviewed and their status arrives by webhook; configured numbers fail with Meta's codes. */
describe('Sandbox parity with Meta', () => {
  let app: TestApp;
  let token: string;
  let accountId: string;
  const auth = () => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    app = await createTestApp({ env: { PORT: String(PORT), PUBLIC_BASE_URL: `http://127.0.0.1:${PORT}`, SANDBOX_TEMPLATE_REVIEW_MS: '150', SANDBOX_STATUS_DELAY_MS: '10' } });
    token = await loginOwner(app);
    accountId = (await http(app).get('/api/v1/whatsapp/accounts').set(auth()).expect(200)).body.data[0].id;
  }, 60000);
  afterAll(() => app.close());

  const templateRow = (id: string, status: string) =>
    waitFor(async () => {
      const row = await app.dataSource.getRepository(MessageTemplate).findOneBy({ id });
      return row?.status === status ? row : null;
    }, 15000, `template ${status}`);

  async function submit(name: string): Promise<string> {
    const created = await http(app).post('/api/v1/templates').set(auth()).send({ accountId, ...template(name) }).expect(201);
    const submitted = await http(app).post(`/api/v1/templates/${created.body.id}/submit`).set(auth()).expect(200);
    expect(submitted.body.status).toBe('PENDING');
    return created.body.id;
  }

  it('approves a submitted template after the review delay with a signed status webhook; it can then be sent', async () => {
    const id = await submit('tramite_listo');
    const approved = await templateRow(id, 'APPROVED');
    expect(approved.providerTemplateId).toMatch(/^\d+$/);
    const sent = await http(app)
      .post('/api/v1/messages')
      .set(auth())
      .send({ to: '+56991112233', type: 'template', template: { name: 'tramite_listo', language: 'es', variables: ['Ana'] } })
      .expect(202);
    const row = await waitFor(async () => {
      const message = await app.dataSource.getRepository(Message).findOneBy({ id: sent.body.id });
      return message?.providerMessageId ? message : null;
    }, 15000, 'template sent');
    expect(row.templateName).toBe('tramite_listo');
    const outbox = await http(app).get('/sandbox/outbox').set(auth()).expect(200);
    expect(outbox.body.data[0].body).toMatchObject({ type: 'template', template: { name: 'tramite_listo' } });
  });

  /** The campaign runner has read the campaign and gone to sleep until its send time (a delayed BullMQ job). */
  const runnerAsleep = (jobId: string) =>
    waitFor(async () => {
      const runner = await app.get(JobProducer).queue(QueueName.Campaigns).getJob(jobIdFor(JobName.RunCampaign, jobId));
      return (await runner?.getState()) === 'delayed';
    }, 15000, 'campaign runner asleep');

  const bulk = (sendAt: string, phones: string[]) =>
    http(app)
      .post('/api/v1/messages/bulk')
      .set(auth())
      .send({ type: 'template', template: { name: 'tramite_listo', language: 'es' }, recipients: phones.map((to) => ({ to, variables: ['Luis'] })), sendAt })
      .expect(202);

  const jobOf = async (jobId: string) => (await http(app).get(`/api/v1/jobs/${jobId}`).set(auth()).expect(200)).body;

  it('shows a scheduled bulk job as scheduled until its send time, not running', async () => {
    const accepted = await bulk(new Date(Date.now() + 3600_000).toISOString(), ['+56991112244', '+56991112255']);
    await runnerAsleep(accepted.body.jobId);
    expect(await jobOf(accepted.body.jobId)).toMatchObject({ status: 'scheduled', total: 2, pending: 2, queued: 0, sent: 0 });
  });

  it('starts a scheduled bulk job at its send time', async () => {
    const sendAt = Date.now() + 6000;
    const accepted = await bulk(new Date(sendAt).toISOString(), ['+56991112266']);
    await runnerAsleep(accepted.body.jobId);
    expect(Date.now()).toBeLessThan(sendAt);
    expect(await jobOf(accepted.body.jobId)).toMatchObject({ status: 'scheduled', sent: 0 });
    const started = await waitFor(async () => {
      const job = await jobOf(accepted.body.jobId);
      return job.status === 'completed' ? job : null;
    }, 30000, 'bulk job completed');
    expect(Date.now()).toBeGreaterThanOrEqual(sendAt);
    expect(started).toMatchObject({ total: 1, sent: 1, pending: 0 });
  }, 45000);

  it('rejects with the configured reason when the sandbox is set to reject', async () => {
    const settings = await http(app).put('/sandbox/settings').set(auth()).send({ templateReview: { outcome: 'REJECTED', reason: 'INVALID_FORMAT' } }).expect(200);
    expect(settings.body).toMatchObject({ accountId, templateReview: { outcome: 'REJECTED', reason: 'INVALID_FORMAT' } });
    const id = await submit('tramite_rechazado');
    const rejected = await templateRow(id, 'REJECTED');
    expect(rejected.rejectionReason).toContain('INVALID_FORMAT');
    await http(app).put('/sandbox/settings').set(auth()).send({ templateReview: { outcome: 'APPROVED' } }).expect(200);
  });

  it.each([131026, 131047, 130429])('fails messages to a configured number with Meta error %i', async (code) => {
    const phone = `+5699${code}`.slice(0, 12);
    await http(app).put('/sandbox/settings').set(auth()).send({ failingRecipients: [{ phone, code }] }).expect(200);
    const inbound = await http(app).post('/sandbox/inbound').set(auth()).send({ from: phone, text: 'Hola' }).expect(202);
    const received = await waitFor(() => app.dataSource.getRepository(Message).findOneBy({ providerMessageId: inbound.body.providerMessageId }), 15000, 'inbound');
    const sent = await http(app).post('/api/v1/messages').set(auth()).send({ conversationId: received.conversationId, type: 'text', text: { body: 'Le respondemos' } }).expect(202);
    const failed = await waitFor(async () => {
      const message = await app.dataSource.getRepository(Message).findOneBy({ id: sent.body.id });
      return message?.status === 'failed' ? message : null;
    }, 15000, 'failed status');
    expect(failed.errorCode).toBe(String(code));
  });

  it('refuses an invalid setting with 400', async () => {
    const refused = await http(app).put('/sandbox/settings').set(auth()).send({ failingRecipients: [{ phone: 'abc', code: 'x' }] }).expect(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
  });

  it('pages the outbox, newest first', async () => {
    const all = (await http(app).get('/sandbox/outbox').query({ limit: 100 }).set(auth()).expect(200)).body.data.map((e: { id: string }) => e.id);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const first = await http(app).get('/sandbox/outbox').query({ limit: 2 }).set(auth()).expect(200);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const rest = await http(app).get('/sandbox/outbox').query({ limit: 100, cursor: first.body.nextCursor }).set(auth()).expect(200);
    expect([...first.body.data, ...rest.body.data].map((e: { id: string }) => e.id)).toEqual(all);
    expect(rest.body.nextCursor).toBeNull();
    expect((await http(app).get('/sandbox/outbox').query({ cursor: 'bm9wZQ' }).set(auth()).expect(400)).body.code).toBe('INVALID_CURSOR');
  });
});
