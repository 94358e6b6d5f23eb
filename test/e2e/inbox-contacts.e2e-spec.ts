import { Controller, Get, Injectable, type CanActivate, type ExecutionContext, Module, Param } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { UserRole } from '../../src/database/entities/enums';
import { MessageSearchController } from '../../src/modules/communications/messages/message-search.controller';
import { MessageSearchService } from '../../src/modules/communications/messages/message-search.service';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { DEFAULT_TEST_PASSWORD, userFactory } from '../factories/user.factory';
import { http, login } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';
import { insertMessage, seedConversation } from './inbox-helpers';

describe('Inbox contacts and message search API', () => {
  let app: TestApp;
  let a: Tenant;
  let b: Tenant;
  const mediaDir = mkdtempSync(join(tmpdir(), 'conversa-media-'));
  const auth = (tenant: Tenant) => ({ Authorization: `Bearer ${tenant.token}` });

  beforeAll(async () => {
    app = await createTestApp({ env: { APP_ROLES: 'api', MEDIA_DIR: mediaDir } });
    a = await createTenant(app);
    b = await createTenant(app);
  });
  afterAll(() => app.close());

  describe('contacts', () => {
    it('creates by phone in any format, refuses a duplicate spelling, and finds it by name or any phone format', async () => {
      const created = await http(app).post('/api/v1/contacts').set(auth(a)).send({ phone: '9 8765 4321', name: 'José Muñoz' }).expect(201);
      expect(created.body).toMatchObject({ phoneE164: '+56987654321', name: 'José Muñoz', labels: [], customAttributes: {} });
      const duplicate = await http(app).post('/api/v1/contacts').set(auth(a)).send({ phone: '+56 9 8765 4321' }).expect(409);
      expect(duplicate.body.code).toBe('CONTACT_CONFLICT');
      const bad = await http(app).post('/api/v1/contacts').set(auth(a)).send({ phone: 'llámame 123' }).expect(400);
      expect(bad.body.code).toBe('INVALID_PHONE_NUMBER');
      const search = async (term: string, tenant = a) =>
        (await http(app).get('/api/v1/contacts').query({ search: term }).set(auth(tenant)).expect(200)).body.data.map((c: { id: string }) => c.id);
      for (const term of ['jose munoz', 'MUÑOZ', '+56987654321', '56 9 8765 4321', '(9) 8765-4321', '987654321', '4321']) {
        expect(await search(term)).toEqual([created.body.id]);
      }
      expect(await search('jose munoz', b)).toEqual([]);
      // Mexico: a wa_id-style +521 spelling finds the canonical contact exactly.
      const mx = await http(app).post('/api/v1/contacts').set(auth(a)).send({ phone: '+52 1 55 1234 5678', name: 'Mx' }).expect(201);
      expect(mx.body.phoneE164).toBe('+525512345678');
      expect(await search('+5215512345678')).toEqual([mx.body.id]);
    });

    it('pages the contact list without duplicates', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { data: Array<{ id: string }>; nextCursor: string | null } } = await http(app)
          .get('/api/v1/contacts')
          .query({ limit: 1, ...(cursor ? { cursor } : {}) })
          .set(auth(a))
          .expect(200);
        seen.push(...page.body.data.map((c) => c.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      const [{ count }] = await app.dataSource.query(`SELECT count(*)::int AS count FROM contact WHERE organization_id = $1`, [a.organization.id]);
      expect(seen).toHaveLength(count);
      expect(new Set(seen).size).toBe(count);
    });

    it('edits, records notes with author, shows history across conversations, and opts out/in as admin', async () => {
      const id = a.contact.id;
      const patched = await http(app)
        .patch(`/api/v1/contacts/${id}`)
        .set(auth(a))
        .send({ name: 'Nombre Nuevo', labels: ['vip'], customAttributes: { plan: 'pro', rut: '1-9' } })
        .expect(200);
      expect(patched.body).toMatchObject({ name: 'Nombre Nuevo', labels: ['vip'], customAttributes: { plan: 'pro', rut: '1-9' } });
      const merged = await http(app).patch(`/api/v1/contacts/${id}`).set(auth(a)).send({ customAttributes: { rut: null } }).expect(200);
      expect(merged.body.customAttributes).toEqual({ plan: 'pro' });
      const note = await http(app).post(`/api/v1/contacts/${id}/notes`).set(auth(a)).send({ body: 'Pidió factura' }).expect(201);
      expect(note.body).toMatchObject({ body: 'Pidió factura', author: { id: a.owner.id }, createdAt: expect.any(String) });
      await http(app).post(`/api/v1/contacts/${id}/notes`).set(auth(a)).send({ body: 'Segunda nota' }).expect(201);
      const notes = await http(app).get(`/api/v1/contacts/${id}/notes`).set(auth(a)).expect(200);
      expect(notes.body.data.map((n: { body: string }) => n.body)).toEqual(['Segunda nota', 'Pidió factura']);
      const second = await seedConversation(app.dataSource, a);
      const other = await app.dataSource.query(
        `INSERT INTO whatsapp_account (organization_id, name, provider, phone_number_id, access_token_encrypted) VALUES ($1, 'Otra', 'meta', $2, 'x') RETURNING id`,
        [a.organization.id, String(Date.now())],
      );
      const conv1 = await seedConversation(app.dataSource, a, { contact: { id } as never });
      void conv1;
      void second;
      const c1 = { id: (await app.dataSource.query(`SELECT id FROM conversation WHERE contact_id = $1`, [id]))[0].id, organizationId: a.organization.id, whatsappAccountId: a.account.id, contactId: id };
      const convOther = await app.dataSource.query(
        `INSERT INTO conversation (organization_id, whatsapp_account_id, contact_id) VALUES ($1, $2, $3) RETURNING id`,
        [a.organization.id, other[0].id, id],
      );
      const c2 = { id: convOther[0].id, organizationId: a.organization.id, whatsappAccountId: other[0].id, contactId: id };
      await insertMessage(app.dataSource, c1, { text: 'historia uno', occurredAt: new Date(Date.now() - 3000) });
      await insertMessage(app.dataSource, c2, { text: 'historia dos', occurredAt: new Date(Date.now() - 2000) });
      await insertMessage(app.dataSource, c1, { text: 'historia tres', occurredAt: new Date(Date.now() - 1000) });
      const page1 = await http(app).get(`/api/v1/contacts/${id}/history`).query({ limit: 2 }).set(auth(a)).expect(200);
      const page2 = await http(app).get(`/api/v1/contacts/${id}/history`).query({ limit: 2, cursor: page1.body.nextCursor }).set(auth(a)).expect(200);
      expect([...page1.body.data, ...page2.body.data].map((m: { text: string }) => m.text)).toEqual(['historia tres', 'historia dos', 'historia uno']);
      expect(page2.body.nextCursor).toBeNull();
      const out = await http(app).post(`/api/v1/contacts/${id}/opt-out`).set(auth(a)).expect(200);
      expect(out.body).toMatchObject({ optedOutAt: expect.any(String), optOutSource: 'admin' });
      const back = await http(app).post(`/api/v1/contacts/${id}/opt-in`).set(auth(a)).expect(200);
      expect(back.body).toMatchObject({ optedOutAt: null, optOutSource: 'admin' });
    });

    it("answers 404 for another organisation's contact on every route", async () => {
      const base = `/api/v1/contacts/${a.contact.id}`;
      await http(app).get(base).set(auth(b)).expect(404);
      await http(app).patch(base).set(auth(b)).send({ name: 'x' }).expect(404);
      await http(app).get(`${base}/history`).set(auth(b)).expect(404);
      await http(app).get(`${base}/notes`).set(auth(b)).expect(404);
      await http(app).post(`${base}/notes`).set(auth(b)).send({ body: 'x' }).expect(404);
      await http(app).post(`${base}/opt-out`).set(auth(b)).expect(404);
      const response = await http(app).delete(base).set(auth(b)).expect(404);
      expect(response.body.code).toBe('CONTACT_NOT_FOUND');
    });
  });

  describe('DELETE /api/v1/contacts/:id (erasure)', () => {
    it('needs an admin, and leaves no message text or phone number of the contact anywhere in the database', async () => {
      const secret = `texto-secreto-${randomUUID().slice(0, 8)}`;
      const phone = '+56955501234';
      const s = await seedConversation(app.dataSource, a, { contact: { phoneE164: phone, waId: phone.slice(1), name: 'Borrar Me' } });
      const m1 = await insertMessage(app.dataSource, s.conversation, { text: `${secret} uno` });
      await insertMessage(app.dataSource, s.conversation, { text: `${secret} dos`, direction: 'outbound' });
      mkdirSync(join(mediaDir, 'org'), { recursive: true });
      writeFileSync(join(mediaDir, 'org', 'foto.jpg'), 'jpeg-bytes');
      await app.dataSource.query(
        `INSERT INTO media_asset (organization_id, whatsapp_account_id, message_id, provider_media_id, status, storage_key, filename) VALUES ($1, $2, $3, 'media-1', 'stored', 'org/foto.jpg', $4)`,
        [a.organization.id, a.account.id, m1, `${secret}.jpg`],
      );
      await http(app).post(`/api/v1/contacts/${s.contact.id}/notes`).set(auth(a)).send({ body: `${secret} nota ${phone}` }).expect(201);
      await app.dataSource.query(
        `INSERT INTO campaign_recipient (organization_id, campaign_id, phone_e164, content) VALUES ($1, $2, $3, $4), ($1, $2, '+56911111111', '{}')`,
        [a.organization.id, randomUUID(), phone, { name: 'Borrar Me' }],
      );
      await app.dataSource.query(
        `INSERT INTO agent_run (organization_id, conversation_id, message_id, trigger_key, outcome, error) VALUES ($1, $2, $3, $4, 'replied', $5)`,
        [a.organization.id, s.conversation.id, m1, `${s.conversation.id}-${m1}`, secret],
      );
      const keeper = await seedConversation(app.dataSource, a);
      await insertMessage(app.dataSource, keeper.conversation, { text: 'otro cliente se queda' });

      const agent = await userFactory.create(app.dataSource, { organizationId: a.organization.id, role: UserRole.Agent });
      const agentToken = await login(app, agent.email, DEFAULT_TEST_PASSWORD);
      await http(app).delete(`/api/v1/contacts/${s.contact.id}`).set('Authorization', `Bearer ${agentToken}`).expect(403);

      const response = await http(app).delete(`/api/v1/contacts/${s.contact.id}`).set(auth(a)).expect(200);
      expect(response.body).toEqual({ removed: { messages: 2, conversations: 1, notes: 1, media: 1, campaignRecipients: 1, webhookEvents: 0, analytics: 0, outboxEvents: 0, chatwootInboundEvents: 0 } });
      expect(existsSync(join(mediaDir, 'org', 'foto.jpg'))).toBe(false);
      await http(app).get(`/api/v1/contacts/${s.contact.id}`).set(auth(a)).expect(404);

      // Every text-like column of every table (webhook_event included: none was written here).
      const columns: Array<{ table_name: string; column_name: string }> = await app.dataSource.query(
        `SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY', 'tsvector')`,
      );
      const leftovers: string[] = [];
      for (const { table_name, column_name } of columns) {
        const [row] = await app.dataSource.query(
          `SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text ILIKE $1 OR "${column_name}"::text LIKE $2 OR "${column_name}"::text LIKE $3`,
          [`%${secret}%`, `%${phone.slice(1)}%`, `%texto%secreto%`],
        );
        if (row.n > 0) leftovers.push(`${table_name}.${column_name}`);
      }
      expect(leftovers).toEqual([]);
      const [kept] = await app.dataSource.query(`SELECT count(*)::int AS n FROM message WHERE conversation_id = $1`, [keeper.conversation.id]);
      expect(kept.n).toBe(1);
    });
  });

  describe('GET /api/v1/messages/search', () => {
    it('finds Spanish text ignoring accents and inflection, highlights, ranks, filters, pages and isolates organisations', async () => {
      const s = await seedConversation(app.dataSource, a);
      await insertMessage(app.dataSource, s.conversation, { text: 'Quiero pedir un reembolso de la canción <b>', occurredAt: new Date(Date.now() - 5000) });
      await insertMessage(app.dataSource, s.conversation, { text: 'Los reembolsos tardan tres días', direction: 'outbound', occurredAt: new Date(Date.now() - 4000) });
      await insertMessage(app.dataSource, s.conversation, { text: 'reembolso reembolso urgente del reembolso', occurredAt: new Date(Date.now() - 3000) });
      await insertMessage(app.dataSource, s.conversation, { text: 'nada que ver', occurredAt: new Date(Date.now() - 2000) });
      const other = await seedConversation(app.dataSource, b);
      await insertMessage(app.dataSource, other.conversation, { text: 'reembolso de otra organización' });

      const search = (query: Record<string, string | number>, tenant = a) => http(app).get('/api/v1/messages/search').query(query).set(auth(tenant)).expect(200);
      const all = await search({ q: 'reembolsó' });
      const texts = all.body.data.map((h: { text: string }) => h.text);
      expect(texts[0]).toBe('reembolso reembolso urgente del reembolso');
      expect([...texts].sort()).toEqual(['Los reembolsos tardan tres días', 'Quiero pedir un reembolso de la canción <b>', 'reembolso reembolso urgente del reembolso']);
      const ranks = all.body.data.map((h: { rank: number }) => h.rank);
      expect([...ranks].sort((x, y) => y - x)).toEqual(ranks);
      expect(all.body.data.find((h: { text: string }) => h.text.startsWith('Quiero')).snippet).toBe('Quiero pedir un <mark>reembolso</mark> de la canción');
      expect((await search({ q: 'cancion' })).body.data).toHaveLength(1);
      expect((await search({ q: 'reembolso', direction: 'outbound' })).body.data.map((h: { text: string }) => h.text)).toEqual(['Los reembolsos tardan tres días']);
      expect((await search({ q: 'reembolso', from: new Date(Date.now() - 3500).toISOString() })).body.data).toHaveLength(1);
      expect((await search({ q: 'reembolso', contactId: randomUUID() })).body.data).toHaveLength(0);
      expect((await search({ q: 'reembolso -urgente' })).body.data).toHaveLength(2);
      const page1 = await search({ q: 'reembolso', limit: 2 });
      const page2 = await search({ q: 'reembolso', limit: 2, cursor: page1.body.nextCursor });
      expect([...page1.body.data, ...page2.body.data].map((h: { text: string }) => h.text)).toEqual(all.body.data.map((h: { text: string }) => h.text));
      expect(page2.body.nextCursor).toBeNull();
      expect((await search({ q: 'reembolso' }, b)).body.data.map((h: { text: string }) => h.text)).toEqual(['reembolso de otra organización']);
      await http(app).get('/api/v1/messages/search').set(auth(a)).expect(400);
    });

    it('is not shadowed by a /api/v1/messages/:id route on Fastify, whichever controller registers first', async () => {
      @Controller('api/v1/messages')
      class MessagesByIdController {
        @Get(':id')
        byId(@Param('id') id: string) {
          return { route: 'byId', id };
        }
      }
      @Injectable()
      class FakePrincipalGuard implements CanActivate {
        canActivate(context: ExecutionContext): boolean {
          context.switchToHttp().getRequest().principal = { kind: 'user', id: 'u', organizationId: 'o', role: 'owner' };
          return true;
        }
      }
      const fakeSearch = { search: async () => ({ data: [{ route: 'search' }], nextCursor: null }) };
      for (const controllers of [
        [MessagesByIdController, MessageSearchController],
        [MessageSearchController, MessagesByIdController],
      ]) {
        @Module({ controllers, providers: [{ provide: MessageSearchService, useValue: fakeSearch }, { provide: APP_GUARD, useClass: FakePrincipalGuard }] })
        class RoutingModule {}
        const nest = await NestFactory.create<NestFastifyApplication>(RoutingModule, new FastifyAdapter(), { logger: false });
        await nest.init();
        await nest.getHttpAdapter().getInstance().ready();
        const server = nest.getHttpServer();
        expect((await request(server).get('/api/v1/messages/search').query({ q: 'x' }).expect(200)).body.data[0].route).toBe('search');
        expect((await request(server).get('/api/v1/messages/abc').expect(200)).body.route).toBe('byId');
        await nest.close();
      }
    });
  });
});
