import { DomainError } from '../../src/common/errors/domain-error';
import { MessageTemplate } from '../../src/database/entities/message-template.entity';
import { TemplateEventsService } from '../../src/modules/templates/template-events.service';
import { toOutboundTemplateMessage } from '../../src/modules/templates/template-outbound';
import { SYNC_PAGE_SIZE, TemplateSyncService } from '../../src/modules/templates/template-sync.service';
import { TemplatesService } from '../../src/modules/templates/templates.service';
import { listTemplateSets } from '../../src/modules/templates/default-template-sets';
import type { NormalizedEvent } from '../../src/domain/normalized-event.types';
import { buildMetaMessageBody } from '../../src/modules/whatsapp/provider/meta-request-builder';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { WhatsappProviders } from '../../src/modules/whatsapp/whatsapp-providers.service';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, type TestApp, waitFor } from '../support/test-app';

const BASE = '/api/v1/templates';

function positionalMedia(name: string): Record<string, unknown> {
  return {
    name,
    language: 'es',
    category: 'UTILITY',
    parameterFormat: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2UvanBlZw==:ARbX'] } },
      { type: 'BODY', text: 'Hola {{1}}, tu declaración de renta vence el {{2}}. Revisa el detalle.', example: { body_text: [['Pablo', '30 de abril']] } },
      { type: 'FOOTER', text: 'Contadores Asociados' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'URL', text: 'Ver documento', url: 'https://portal.example.com/docs/{{1}}', example: ['https://portal.example.com/docs/abc123'] },
          { type: 'QUICK_REPLY', text: 'Agendar reunión' },
        ],
      },
    ],
  };
}

function namedDocument(name: string): Record<string, unknown> {
  return {
    name,
    language: 'es_CL',
    category: 'UTILITY',
    parameterFormat: 'NAMED',
    components: [
      { type: 'HEADER', format: 'DOCUMENT', example: { header_handle: ['4::YXBwbGljYXRpb24vcGRm:ARbY'] } },
      {
        type: 'BODY',
        text: 'Hola {{nombre}}, adjuntamos tu boleta {{numero_boleta}} por {{monto}}. Gracias por preferirnos.',
        example: {
          body_text_named_params: [
            { param_name: 'nombre', example: 'Ana' },
            { param_name: 'numero_boleta', example: 'B-1001' },
            { param_name: 'monto', example: '$25.000' },
          ],
        },
      },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'URL', text: 'Pagar', url: 'https://pagos.example.com/b/{{1}}', example: ['https://pagos.example.com/b/B-1001'] },
          { type: 'URL', text: 'Sitio', url: 'https://pagos.example.com' },
        ],
      },
    ],
  };
}

function simpleBody(name: string, language = 'es'): Record<string, unknown> {
  return {
    name,
    language,
    category: 'MARKETING',
    components: [{ type: 'BODY', text: 'Hola {{1}}, tenemos novedades para ti.', example: { body_text: [['Pablo']] } }],
  };
}

function statusEvent(overrides: Record<string, unknown>): NormalizedEvent {
  return { kind: 'template_status', provider: 'meta', event: 'APPROVED', ...overrides } as NormalizedEvent;
}

async function expectDomainError(promise: Promise<unknown>, code: string): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  return error as DomainError;
}

describe('Templates', () => {
  let sim: GraphSimulatorServer;
  let app: TestApp;
  let tenant: Tenant;
  let service: TemplatesService;
  let events: TemplateEventsService;
  const auth = () => ({ Authorization: `Bearer ${tenant.token}` });

  beforeAll(async () => {
    sim = await startGraphSimulatorServer();
    app = await createTestApp({ env: { META_GRAPH_BASE_URL: sim.url, APP_ROLES: 'api,worker' } });
    tenant = await createTenant(app);
    service = app.get(TemplatesService);
    events = app.get(TemplateEventsService);
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  const create = (body: Record<string, unknown>, t: Tenant = tenant) =>
    http(app).post(BASE).set({ Authorization: `Bearer ${t.token}` }).send({ accountId: t.account.id, ...body });

  describe('lifecycle: create → submit → status webhooks → resolveForSend', () => {
    it('an APPROVED event makes the template sendable; applying it twice changes nothing the second time', async () => {
      const created = await create(positionalMedia('recordatorio_renta')).expect(201);
      expect(created.body).toMatchObject({ status: 'DRAFT', providerTemplateId: null, whatsappAccountId: tenant.account.id });
      await expectDomainError(service.resolveForSend(tenant.organization.id, tenant.account.id, 'recordatorio_renta', 'es', ['Pablo', 'mayo']), 'TEMPLATE_NOT_APPROVED');

      const submitted = await http(app).post(`${BASE}/${created.body.id}/submit`).set(auth()).expect(200);
      const remote = sim.simulator.resources.templates.find((t) => t.name === 'recordatorio_renta');
      expect(remote).toMatchObject({ wabaId: tenant.account.wabaId, language: 'es', category: 'UTILITY', status: 'PENDING', parameter_format: 'POSITIONAL' });
      expect(remote!.components).toEqual(positionalMedia('x').components);
      expect(submitted.body).toMatchObject({ status: 'PENDING', providerTemplateId: remote!.id });
      await http(app).post(`${BASE}/${created.body.id}/submit`).set(auth()).expect(409);
      const notEditable = await http(app).patch(`${BASE}/${created.body.id}`).set(auth()).send({ category: 'MARKETING' }).expect(409);
      expect(notEditable.body.code).toBe('TEMPLATE_NOT_EDITABLE');

      const approved = statusEvent({ wabaId: tenant.account.wabaId, templateId: remote!.id, templateName: 'recordatorio_renta', language: 'es', event: 'APPROVED' });
      expect(await events.apply(approved)).toEqual({ matched: 1, changed: 1 });
      expect(await events.apply(approved)).toEqual({ matched: 1, changed: 0 });
      await events.apply({ kind: 'template_quality', provider: 'meta', templateId: remote!.id, newQuality: 'GREEN' } as NormalizedEvent);

      const { template, rendered } = await service.resolveForSend(tenant.organization.id, tenant.account.id, 'recordatorio_renta', 'es', { '1': 'Pablo', '2': '30 de abril' }, {
        headerMedia: { link: 'https://cdn.example.com/renta.jpg' },
        buttonParams: { 0: 'abc123' },
      });
      expect(template).toMatchObject({ id: created.body.id, status: 'APPROVED', quality: 'GREEN' });
      expect(rendered.text).toBe('Hola Pablo, tu declaración de renta vence el 30 de abril. Revisa el detalle.\nContadores Asociados');
      await expectDomainError(service.resolveForSend(tenant.organization.id, tenant.account.id, 'recordatorio_renta', 'es', { '1': 'Pablo' }), 'TEMPLATE_VARIABLES_INVALID');
      await expectDomainError(service.resolveForSend(tenant.organization.id, tenant.account.id, 'no_existe', 'es', []), 'TEMPLATE_NOT_FOUND');
      await expectDomainError(service.resolveForSend(tenant.organization.id, tenant.account.id, 'recordatorio_renta', 'en_US', []), 'TEMPLATE_NOT_FOUND');
    });

    it('a REJECTED event (matched by name + language on the WABA) is refused with the reason; edit and resubmit replaces it on Meta', async () => {
      const created = await create(simpleBody('promo_invierno')).expect(201);
      await http(app).post(`${BASE}/${created.body.id}/submit`).set(auth()).expect(200);
      const firstRemoteId = sim.simulator.resources.templates.find((t) => t.name === 'promo_invierno')!.id;
      const rejected = statusEvent({
        wabaId: tenant.account.wabaId,
        templateName: 'promo_invierno',
        language: 'es',
        event: 'REJECTED',
        reason: 'INVALID_FORMAT',
        rejectionInfo: { reason: 'INVALID_FORMAT', recommendation: 'Quita el formato no permitido' },
      });
      expect(await events.apply(rejected)).toEqual({ matched: 1, changed: 1 });
      expect(await events.apply(rejected)).toEqual({ matched: 1, changed: 0 });

      const error = await expectDomainError(service.resolveForSend(tenant.organization.id, tenant.account.id, 'promo_invierno', 'es', ['Ana']), 'TEMPLATE_NOT_APPROVED');
      expect(error.status).toBe(422);
      expect(error.message).toContain('REJECTED');
      expect(error.message).toContain('INVALID_FORMAT');
      expect(error.details).toMatchObject({ status: 'REJECTED', rejectionReason: 'INVALID_FORMAT: Quita el formato no permitido' });

      const edited = await http(app)
        .patch(`${BASE}/${created.body.id}`)
        .set(auth())
        .send({ components: [{ type: 'BODY', text: 'Hola {{1}}, mira nuestras ofertas de invierno.', example: { body_text: [['Ana']] } }] })
        .expect(200);
      expect(edited.body).toMatchObject({ status: 'DRAFT', providerTemplateId: firstRemoteId });
      await http(app).patch(`${BASE}/${created.body.id}`).set(auth()).send({ name: 'otro_nombre' }).expect(409);
      const resubmitted = await http(app).post(`${BASE}/${created.body.id}/submit`).set(auth()).expect(200);
      const remotes = sim.simulator.resources.templates.filter((t) => t.name === 'promo_invierno');
      expect(remotes).toHaveLength(1);
      expect(remotes[0].id).not.toBe(firstRemoteId);
      expect(resubmitted.body).toMatchObject({ status: 'PENDING', providerTemplateId: remotes[0].id, rejectionReason: null });
    });

    it('a DELETED event marks the template removed; quality and category events update it', async () => {
      const created = await create(simpleBody('aviso_eliminado')).expect(201);
      await http(app).post(`${BASE}/${created.body.id}/submit`).set(auth()).expect(200);
      const remoteId = sim.simulator.resources.templates.find((t) => t.name === 'aviso_eliminado')!.id;
      await events.apply({ kind: 'template_category', provider: 'meta', templateId: remoteId, newCategory: 'UTILITY', previousCategory: 'MARKETING' } as NormalizedEvent);
      await events.apply(statusEvent({ templateId: remoteId, event: 'DELETED' }));
      const row = await app.dataSource.getRepository(MessageTemplate).findOneByOrFail({ id: created.body.id });
      expect(row).toMatchObject({ status: 'DELETED', category: 'UTILITY' });
      expect(row.removedAt).toBeInstanceOf(Date);
      expect(await events.apply(statusEvent({ templateId: remoteId, event: 'DELETED' }))).toEqual({ matched: 1, changed: 0 });
      await expectDomainError(service.resolveForSend(tenant.organization.id, tenant.account.id, 'aviso_eliminado', 'es', ['x']), 'TEMPLATE_NOT_FOUND');
    });

    it('an event for an unknown template matches nothing', async () => {
      expect(await events.apply(statusEvent({ templateId: '999', wabaId: 'nope', templateName: 'x', language: 'es' }))).toEqual({ matched: 0, changed: 0 });
    });
  });

  describe('preview equals the sent request', () => {
    const cases = [
      {
        label: 'positional, IMAGE header, URL + quick-reply buttons',
        def: positionalMedia('preview_posicional'),
        language: 'es',
        input: { variables: ['Pablo', '30 de abril'], headerMedia: { link: 'https://cdn.example.com/renta.jpg' }, buttonParams: { '0': 'abc123', '1': 'agendar' } },
      },
      {
        label: 'named, DOCUMENT header with filename, URL button',
        def: namedDocument('preview_nombrado'),
        language: 'es_CL',
        input: { variables: { nombre: 'Ana', numero_boleta: 'B-1001', monto: '$25.000' }, headerMedia: { id: '778899', filename: 'boleta.pdf' }, buttonParams: { '0': 'B-1001' } },
      },
    ];

    it.each(cases)('$label', async ({ def, language, input }) => {
      const created = await create(def).expect(201);
      const preview = await http(app).post(`${BASE}/${created.body.id}/preview`).set(auth()).send(input).expect(200);
      await app.dataSource.getRepository(MessageTemplate).update({ id: created.body.id }, { status: 'APPROVED' });

      const { rendered } = await service.resolveForSend(tenant.organization.id, tenant.account.id, def.name as string, language, input.variables, { headerMedia: input.headerMedia as { link?: string; id?: string; filename?: string }, buttonParams: input.buttonParams as Record<string, string> });
      const message = toOutboundTemplateMessage(rendered.metaTemplate);
      const built = buildMetaMessageBody(tenant.contact.phoneE164!, message);
      const { client, account } = await app.get(WhatsappProviders).forAccount(tenant.account.id);
      await client.sendMessage(account, tenant.contact.phoneE164!, message);
      const sent = sim.simulator.outbox.at(-1)!;

      expect(sent.body.template).toEqual(preview.body.template);
      expect(JSON.stringify(sent.body.template)).toBe(JSON.stringify(preview.body.template));
      expect(JSON.stringify(built.template)).toBe(JSON.stringify(preview.body.template));
      expect(preview.body.text).toBe(rendered.text);
      expect(preview.body.rendered).toEqual(rendered.rendered);
    });

    it('shows the named and media parameters Meta expects', async () => {
      const row = await app.dataSource.getRepository(MessageTemplate).findOneByOrFail({ name: 'preview_nombrado' });
      const preview = await service.preview(tenant.organization.id, row.id, { nombre: 'Ana', numero_boleta: 'B-1', monto: '$1' }, { headerMedia: { link: 'https://x.example.com/b.pdf' }, buttonParams: { 0: 'B-1' } });
      expect(preview.template.components).toEqual([
        { type: 'header', parameters: [{ type: 'document', document: { link: 'https://x.example.com/b.pdf' } }] },
        {
          type: 'body',
          parameters: [
            { type: 'text', parameter_name: 'nombre', text: 'Ana' },
            { type: 'text', parameter_name: 'numero_boleta', text: 'B-1' },
            { type: 'text', parameter_name: 'monto', text: '$1' },
          ],
        },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'B-1' }] },
      ]);
      expect(preview.rendered.buttons[0]).toEqual({ type: 'URL', text: 'Pagar', url: 'https://pagos.example.com/b/B-1' });
    });

    it('answers 422 TEMPLATE_VARIABLES_INVALID listing missing, extra and malformed inputs', async () => {
      const row = await app.dataSource.getRepository(MessageTemplate).findOneByOrFail({ name: 'preview_posicional' });
      const response = await http(app)
        .post(`${BASE}/${row.id}/preview`)
        .set(auth())
        .send({ variables: { '1': 'Pablo', '3': 'sobra' }, headerMedia: { link: 'https://a.example.com/x.jpg', id: '1' } })
        .expect(422);
      expect(response.body.code).toBe('TEMPLATE_VARIABLES_INVALID');
      expect(response.body.details.missing).toEqual(expect.arrayContaining(['2', 'button_0']));
      expect(response.body.details.extra).toEqual(['3']);
      expect(response.body.details.malformed).toEqual([expect.objectContaining({ name: 'header_media' })]);
    });
  });

  describe('sync', () => {
    it('adds, updates and marks removed across pages; a second sync changes nothing', async () => {
      const other = await createTenant(app);
      const total = SYNC_PAGE_SIZE + 30;
      // Three local templates on Meta: one Meta changes, one Meta drops, one unchanged; plus a local draft.
      const ids: Record<string, string> = {};
      for (const name of ['sync_cambia', 'sync_desaparece', 'sync_igual']) {
        const created = await create(simpleBody(name), other).expect(201);
        await http(app).post(`${BASE}/${created.body.id}/submit`).set({ Authorization: `Bearer ${other.token}` }).expect(200);
        ids[name] = created.body.id;
      }
      const draft = await create(simpleBody('sync_borrador_local'), other).expect(201);
      const remote = sim.simulator.resources.templates;
      for (const t of remote.filter((r) => r.wabaId === other.account.wabaId)) t.status = 'APPROVED';
      const changing = remote.find((t) => t.name === 'sync_cambia')!;
      Object.assign(changing, { status: 'PAUSED', quality_score: { score: 'YELLOW' } });
      remote.splice(remote.findIndex((t) => t.name === 'sync_desaparece'), 1);
      for (let i = 0; i < total; i += 1) {
        remote.push({
          id: String(9_000_000 + i),
          name: `remoto_${String(i).padStart(3, '0')}`,
          language: i % 2 ? 'es' : 'en_US',
          status: i % 3 ? 'APPROVED' : 'REJECTED',
          category: i % 2 ? 'MARKETING' : 'UTILITY',
          components: [{ type: 'BODY', text: `Plantilla remota ${i}` }],
          wabaId: other.account.wabaId!,
        });
      }

      const first = await http(app).post(`${BASE}/sync`).set({ Authorization: `Bearer ${other.token}` }).send({ accountId: other.account.id }).expect(200);
      // sync_igual: status PENDING → APPROVED counts as an update too.
      expect(first.body).toEqual({ created: total, updated: 2, removed: 1, total: total + 2 });
      const repo = app.dataSource.getRepository(MessageTemplate);
      expect(await repo.findOneByOrFail({ id: ids.sync_cambia })).toMatchObject({ status: 'PAUSED', quality: 'YELLOW' });
      expect(await repo.findOneByOrFail({ id: ids.sync_desaparece })).toMatchObject({ status: 'DELETED', removedAt: expect.any(Date) });
      expect(await repo.findOneByOrFail({ id: draft.body.id })).toMatchObject({ status: 'DRAFT', removedAt: null, lastSyncedAt: null });
      expect(await repo.findOneByOrFail({ name: 'remoto_129' })).toMatchObject({ providerTemplateId: '9000129', language: 'es', category: 'MARKETING', lastSyncedAt: expect.any(Date) });

      const second = await http(app).post(`${BASE}/sync`).set({ Authorization: `Bearer ${other.token}` }).send({ accountId: other.account.id }).expect(200);
      expect(second.body).toEqual({ created: 0, updated: 0, removed: 0, total: total + 2 });

      // List: cursor pagination over everything not removed, filters, removed only on request.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { data: Array<{ id: string }>; nextCursor: string | null } } = await http(app)
          .get(BASE)
          .query({ accountId: other.account.id, limit: 40, ...(cursor ? { cursor } : {}) })
          .set({ Authorization: `Bearer ${other.token}` })
          .expect(200);
        seen.push(...page.body.data.map((t) => t.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(total + 3);
      expect(new Set(seen).size).toBe(seen.length);
      const filtered = await http(app)
        .get(BASE)
        .query({ accountId: other.account.id, status: 'REJECTED', category: 'UTILITY', language: 'en_US', name: 'REMOTO_00' })
        .set({ Authorization: `Bearer ${other.token}` })
        .expect(200);
      expect(filtered.body.data.map((t: { name: string }) => t.name).sort()).toEqual(['remoto_000', 'remoto_006']);
      const removed = await http(app).get(BASE).query({ status: 'DELETED' }).set({ Authorization: `Bearer ${other.token}` }).expect(200);
      expect(removed.body.data.map((t: { name: string }) => t.name)).toEqual(['sync_desaparece']);
      // Tenant isolation: the first tenant sees none of these.
      await http(app).get(`${BASE}/${ids.sync_igual}`).set(auth()).expect(404);
      await http(app).post(`${BASE}/sync`).set(auth()).send({ accountId: other.account.id }).expect(404);
    });

    it('the daily job enqueues one sync per account and the worker runs them', async () => {
      const third = await createTenant(app);
      sim.simulator.resources.templates.push({
        id: '7770001', name: 'diaria', language: 'es', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hola' }], wabaId: third.account.wabaId!,
      });
      const enqueued = await app.get(TemplateSyncService).enqueueAll(new Date('2030-01-02T04:41:00Z'));
      expect(enqueued).toBeGreaterThanOrEqual(3);
      const row = await waitFor(
        () => app.dataSource.getRepository(MessageTemplate).findOneBy({ whatsappAccountId: third.account.id, name: 'diaria' }),
        15000,
        'scheduled template sync',
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${app.logs.filter((l) => l.includes('templates.sync')).slice(-5).join('')}`);
      });
      expect(row).toMatchObject({
        status: 'APPROVED',
        providerTemplateId: '7770001',
      });
    });
  });

  describe('delete', () => {
    it('deletes on Meta by hsm_id when submitted, locally only for drafts; another org gets 404', async () => {
      const submitted = await create(simpleBody('para_borrar')).expect(201);
      await http(app).post(`${BASE}/${submitted.body.id}/submit`).set(auth()).expect(200);
      expect(sim.simulator.resources.templates.some((t) => t.name === 'para_borrar')).toBe(true);
      const stranger = await createTenant(app);
      await http(app).delete(`${BASE}/${submitted.body.id}`).set({ Authorization: `Bearer ${stranger.token}` }).expect(404);
      await http(app).delete(`${BASE}/${submitted.body.id}`).set(auth()).expect(204);
      expect(sim.simulator.resources.templates.some((t) => t.name === 'para_borrar')).toBe(false);
      await http(app).get(`${BASE}/${submitted.body.id}`).set(auth()).expect(404);

      const draft = await create(simpleBody('borrador_para_borrar')).expect(201);
      await http(app).delete(`${BASE}/${draft.body.id}`).set(auth()).expect(204);
      const duplicate = await create(simpleBody('recordatorio_renta')).expect(409);
      expect(duplicate.body.code).toBe('TEMPLATE_ALREADY_EXISTS');
    });
  });

  describe('default sets', () => {
    it('install-set is idempotent and can submit right away', async () => {
      const retail = listTemplateSets().find((s) => s.key === 'retail')!;
      const sets = await http(app).get(`${BASE}/sets`).set(auth()).expect(200);
      expect(sets.body.data.map((s: { key: string }) => s.key)).toEqual(['tax_accounting', 'recruiting', 'insurance', 'retail']);

      const first = await http(app).post(`${BASE}/install-set`).set(auth()).send({ accountId: tenant.account.id, set: 'retail' }).expect(200);
      expect(first.body).toMatchObject({ set: 'retail', created: retail.templates.length, skipped: 0, submitted: 0 });
      const second = await http(app).post(`${BASE}/install-set`).set(auth()).send({ accountId: tenant.account.id, set: 'retail' }).expect(200);
      expect(second.body).toMatchObject({ created: 0, skipped: retail.templates.length });
      const drafts = await http(app).get(BASE).query({ accountId: tenant.account.id, status: 'DRAFT', name: 'pedido' }).set(auth()).expect(200);
      expect(drafts.body.data.length).toBeGreaterThan(0);

      const other = await createTenant(app);
      const submitted = await http(app)
        .post(`${BASE}/install-set`)
        .set({ Authorization: `Bearer ${other.token}` })
        .send({ accountId: other.account.id, set: 'insurance', submit: true })
        .expect(200);
      const insurance = listTemplateSets().find((s) => s.key === 'insurance')!;
      expect(submitted.body).toMatchObject({ created: insurance.templates.length, submitted: insurance.templates.length });
      expect(submitted.body.templates.every((t: { status: string }) => t.status === 'PENDING')).toBe(true);
      expect(sim.simulator.resources.templates.filter((t) => t.wabaId === other.account.wabaId)).toHaveLength(insurance.templates.length);

      const unknown = await http(app).post(`${BASE}/install-set`).set(auth()).send({ accountId: tenant.account.id, set: 'panaderia' }).expect(404);
      expect(unknown.body.code).toBe('TEMPLATE_SET_NOT_FOUND');
    });
  });

  describe('validation: every rule fails with a clear message through the API', () => {
    const body = (text: string, example?: unknown) => ({ type: 'BODY', text, ...(example ? { example } : {}) });
    const okBody = body('Hola {{1}}, gracias por escribir.', { body_text: [['Ana']] });
    const withComponents = (...components: unknown[]) => ({ ...simpleBody('valida'), components });
    const withButtons = (...buttons: unknown[]) => withComponents(okBody, { type: 'BUTTONS', buttons });
    const table: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['bad name', { ...simpleBody('Mi Plantilla') }, 'name', /lowercase letters, digits or underscores/],
      ['bad language', { ...simpleBody('valida'), language: 'espanol' }, 'language', /Meta language code/],
      ['bad category', { ...simpleBody('valida'), category: 'PROMO' }, 'category', /category must be one of/],
      ['bad parameter format', { ...simpleBody('valida'), parameterFormat: 'MIXED' }, 'parameterFormat', /parameterFormat must be one of/],
      ['components not an array', { ...simpleBody('valida'), components: 'BODY' }, 'components', /must be an array/],
      ['no BODY', withComponents({ type: 'FOOTER', text: 'pie' }), 'components', /exactly one BODY/],
      ['two HEADERs', withComponents({ type: 'HEADER', format: 'TEXT', text: 'A' }, { type: 'HEADER', format: 'TEXT', text: 'B' }, okBody), 'components', /at most one HEADER/],
      ['unknown component type', withComponents(okBody, { type: 'CAROUSEL' }), 'components[1].type', /component type must be one of/],
      ['empty body', withComponents(body('  ')), 'components[0].text', /body text is required/],
      ['body too long', withComponents(body(`Hola ${'a'.repeat(1100)}`)), 'components[0].text', /maximum is 1024/],
      ['body starts with a variable', withComponents(body('{{1}} te saluda', { body_text: [['Ana']] })), 'components[0].text', /cannot start or end with a variable/],
      ['body variables with gaps', withComponents(body('Hola {{1}} y {{3}}, bienvenidos.', { body_text: [['a', 'b']] })), 'components[0].text', /numbered \{\{1\}\}\.\.\{\{2\}\} in order/],
      ['invalid variable', withComponents(body('Hola {{Nombre Completo}}, bienvenido.')), 'components[0].text', /is invalid; use \{\{1\}\}/],
      ['mismatched braces', withComponents(body('Hola {{1}, bienvenido.')), 'components[0].text', /mismatched curly braces/],
      ['named variable in a positional template', withComponents(body('Hola {{nombre}}, bienvenido.', { body_text: [['Ana']] })), 'components[0].text', /parameterFormat is POSITIONAL/],
      ['body variables without examples', withComponents(body('Hola {{1}}, bienvenido.')), 'components[0].example.body_text', /no example values/],
      ['wrong number of examples', withComponents(body('Hola {{1}}, bienvenido.', { body_text: [['Ana', 'extra']] })), 'components[0].example.body_text', /1 variable\(s\) but 2 example/],
      ['examples in two rows', withComponents(body('Hola {{1}}, bienvenido.', { body_text: [['Ana'], ['Bea']] })), 'components[0].example.body_text', /exactly one row/],
      [
        'named template missing an example',
        { ...simpleBody('valida'), parameterFormat: 'NAMED', components: [body('Hola {{nombre}}, tu pedido {{pedido}} llegó.', { body_text_named_params: [{ param_name: 'nombre', example: 'Ana' }] })] },
        'components[0].example.body_text_named_params',
        /needs an example for \{\{pedido\}\}/,
      ],
      [
        'positional variable in a named template',
        { ...simpleBody('valida'), parameterFormat: 'NAMED', components: [body('Hola {{1}}, bienvenido.', { body_text: [['Ana']] })] },
        'components[0].text',
        /parameterFormat is NAMED/,
      ],
      ['bad header format', withComponents({ type: 'HEADER', format: 'AUDIO' }, okBody), 'components[0].format', /header format must be one of/],
      ['text header too long', withComponents({ type: 'HEADER', format: 'TEXT', text: 'x'.repeat(61) }, okBody), 'components[0].text', /maximum is 60/],
      [
        'text header with two variables',
        withComponents({ type: 'HEADER', format: 'TEXT', text: 'Hola {{1}} {{2}}', example: { header_text: ['a', 'b'] } }, okBody),
        'components[0].text',
        /at most one variable/,
      ],
      ['text header variable without example', withComponents({ type: 'HEADER', format: 'TEXT', text: 'Hola {{1}}' }, okBody), 'components[0].example.header_text', /no example values/],
      ['media header without handle', withComponents({ type: 'HEADER', format: 'IMAGE' }, okBody), 'components[0].example.header_handle', /needs example.header_handle/],
      ['media header with text', withComponents({ type: 'HEADER', format: 'VIDEO', text: 'x', example: { header_handle: ['h'] } }, okBody), 'components[0].text', /only allowed with format TEXT/],
      ['LOCATION header in AUTHENTICATION', { ...withComponents({ type: 'HEADER', format: 'LOCATION' }, okBody), category: 'AUTHENTICATION' }, 'components[0].format', /only allowed in UTILITY and MARKETING/],
      ['footer with a variable', withComponents(okBody, { type: 'FOOTER', text: 'Pie {{1}}' }), 'components[1].text', /footer cannot contain variables/],
      ['footer too long', withComponents(okBody, { type: 'FOOTER', text: 'p'.repeat(61) }), 'components[1].text', /maximum is 60/],
      ['no buttons', withButtons(), 'components[1].buttons', /between 1 and 10 buttons/],
      ['too many buttons', withButtons(...Array.from({ length: 11 }, (_, i) => ({ type: 'QUICK_REPLY', text: `Op ${i}` }))), 'components[1].buttons', /at most 10 buttons/],
      ['three URL buttons', withButtons(...[1, 2, 3].map((i) => ({ type: 'URL', text: `Link ${i}`, url: `https://a.example.com/${i}` }))), 'components[1].buttons', /at most 2 URL button/],
      [
        'quick replies not grouped',
        withButtons({ type: 'QUICK_REPLY', text: 'Sí' }, { type: 'URL', text: 'Web', url: 'https://a.example.com' }, { type: 'QUICK_REPLY', text: 'No' }),
        'components[1].buttons',
        /grouped together/,
      ],
      ['unknown button type', withButtons({ type: 'OTP', text: 'x' }), 'components[1].buttons[0].type', /button type must be one of/],
      ['button without text', withButtons({ type: 'QUICK_REPLY', text: '' }), 'components[1].buttons[0].text', /button text is required/],
      ['button text with a variable', withButtons({ type: 'QUICK_REPLY', text: 'Sí {{1}}' }), 'components[1].buttons[0].text', /cannot contain variables/],
      ['URL not https', withButtons({ type: 'URL', text: 'Web', url: 'http://a.example.com' }), 'components[1].buttons[0].url', /must start with https/],
      ['URL variable not at the end', withButtons({ type: 'URL', text: 'Web', url: 'https://a.example.com/{{1}}/x', example: ['https://a.example.com/1/x'] }), 'components[1].buttons[0].url', /at the very end/],
      ['URL variable without example', withButtons({ type: 'URL', text: 'Web', url: 'https://a.example.com/{{1}}' }), 'components[1].buttons[0].example', /needs example/],
      ['bad phone number', withButtons({ type: 'PHONE_NUMBER', text: 'Llamar', phone_number: 'llámanos' }), 'components[1].buttons[0].phone_number', /digits only/],
    ];

    it.each(table.map(([label, definition, field, message]) => [label, field, definition, message] as const))('%s → 400 TEMPLATE_INVALID on %s', async (_label, field, definition, message) => {
      const response = await create(definition).expect(400);
      expect(response.body.code).toBe('TEMPLATE_INVALID');
      expect(response.body.details.fields).toEqual(expect.arrayContaining([{ field, message: expect.stringMatching(message) }]));
    });

    it('lists every issue at once, and the same rules apply to updates', async () => {
      const response = await create({ name: 'Mala', language: 'x', category: 'NADA', components: [body('{{1}}')] }).expect(400);
      expect(response.body.details.fields.map((f: { field: string }) => f.field)).toEqual(
        expect.arrayContaining(['name', 'language', 'category', 'components[0].text', 'components[0].example.body_text']),
      );
      const draft = await create(simpleBody('para_editar')).expect(201);
      const update = await http(app).patch(`${BASE}/${draft.body.id}`).set(auth()).send({ components: [body('Hola', undefined), { type: 'FOOTER', text: 'Pie {{1}}' }] }).expect(400);
      expect(update.body.details.fields).toEqual([{ field: 'components[1].text', message: 'footer cannot contain variables' }]);
      const missingAccount = await http(app).post(BASE).set(auth()).send(simpleBody('sin_cuenta')).expect(400);
      expect(missingAccount.body.code).toBe('VALIDATION_FAILED');
    });
  });
});
