import { JwtService } from '@nestjs/jwt';
import { UserRole } from '../../src/database/entities/enums';
import { DEFAULT_TEST_PASSWORD, userFactory } from '../factories/user.factory';
import { http, login, loginOwner } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';

describe('Authentication and roles', () => {
  let app: TestApp;
  let ownerToken: string;

  beforeAll(async () => {
    app = await createTestApp({ env: { APP_ROLES: 'api' } });
    ownerToken = await loginOwner(app);
  });
  afterAll(() => app.close());

  async function ownerRow(): Promise<{ id: string; organizationId: string }> {
    const users = await http(app).get('/api/v1/users').set('Authorization', `Bearer ${ownerToken}`).expect(200);
    return users.body.data.find((u: { email: string }) => u.email === app.config.ADMIN_EMAIL);
  }

  describe('POST /api/v1/auth/login', () => {
    it('returns a JWT for the bootstrapped owner', async () => {
      const response = await http(app).post('/api/v1/auth/login').send({ email: app.config.ADMIN_EMAIL, password: app.config.ADMIN_PASSWORD }).expect(200);
      expect(response.body).toMatchObject({ tokenType: 'Bearer', user: { email: app.config.ADMIN_EMAIL, role: 'owner' } });
      expect(response.body.accessToken.split('.')).toHaveLength(3);
    });

    it('answers 401 INVALID_CREDENTIALS for a wrong password or unknown email', async () => {
      const wrong = await http(app).post('/api/v1/auth/login').send({ email: app.config.ADMIN_EMAIL, password: 'nope-nope' }).expect(401);
      expect(wrong.body).toEqual({ statusCode: 401, code: 'INVALID_CREDENTIALS', message: expect.any(String) });
      await http(app).post('/api/v1/auth/login').send({ email: 'ghost@test.conversa', password: 'whatever1' }).expect(401);
    });

    it('answers 400 listing the bad fields when the body is invalid', async () => {
      const response = await http(app).post('/api/v1/auth/login').send({ email: 'not-an-email' }).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect([...new Set(response.body.details.fields.map((f: { field: string }) => f.field))].sort()).toEqual(['email', 'password']);
    });
  });

  describe('JWT', () => {
    it('rejects a missing, malformed or expired token with 401', async () => {
      await http(app).get('/api/v1/users').expect(401);
      await http(app).get('/api/v1/users').set('Authorization', 'Bearer not.a.jwt').expect(401);
      const me = await http(app).get('/api/v1/users').set('Authorization', `Bearer ${ownerToken}`).expect(200);
      const owner = me.body.data.find((u: { email: string }) => u.email === app.config.ADMIN_EMAIL);
      const expired = await new JwtService({ secret: app.config.JWT_SECRET }).signAsync(
        { sub: owner.id, org: owner.organizationId, role: 'owner', exp: Math.floor(Date.now() / 1000) - 60 },
      );
      const response = await http(app).get('/api/v1/users').set('Authorization', `Bearer ${expired}`).expect(401);
      expect(response.body.code).toBe('UNAUTHORIZED');
    });

    it('answers 401, not 500, for a correctly signed token whose sub is not a UUID', async () => {
      const owner = await ownerRow();
      const token = await new JwtService({ secret: app.config.JWT_SECRET }).signAsync({ sub: 'not-a-uuid', org: owner.organizationId, role: 'owner' }, { expiresIn: '1h' });
      const response = await http(app).get('/api/v1/users').set('Authorization', `Bearer ${token}`).expect(401);
      expect(response.body.code).toBe('UNAUTHORIZED');
    });

    it('rejects a correctly signed token that never expires (no exp claim)', async () => {
      const owner = await ownerRow();
      const token = await new JwtService({ secret: app.config.JWT_SECRET }).signAsync({ sub: owner.id, org: owner.organizationId, role: 'owner' });
      expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())).not.toHaveProperty('exp');
      const response = await http(app).get('/api/v1/users').set('Authorization', `Bearer ${token}`).expect(401);
      expect(response.body.code).toBe('UNAUTHORIZED');
    });

    it('rejects a token signed with another secret', async () => {
      const forged = await new JwtService({ secret: 'another-secret-another-secret-another-secret' }).signAsync({ sub: 'x', org: 'y', role: 'owner' });
      await http(app).get('/api/v1/users').set('Authorization', `Bearer ${forged}`).expect(401);
    });
  });

  describe('API keys', () => {
    it('authenticates with X-API-Key, shows the key once and stops working once revoked', async () => {
      const created = await http(app).post('/api/v1/api-keys').set('Authorization', `Bearer ${ownerToken}`).send({ name: 'CRM' }).expect(201);
      expect(created.body.key).toMatch(/^cvk_/);
      expect(created.body).not.toHaveProperty('keyHash');
      await http(app).get('/api/v1/users').set('X-API-Key', created.body.key).expect(200);
      const listed = await http(app).get('/api/v1/api-keys').set('X-API-Key', created.body.key).expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
      await http(app).delete(`/api/v1/api-keys/${created.body.id}`).set('Authorization', `Bearer ${ownerToken}`).expect(204);
      await http(app).get('/api/v1/users').set('X-API-Key', created.body.key).expect(401);
    });

    it('rejects an unknown key and an expired key', async () => {
      await http(app).get('/api/v1/users').set('X-API-Key', 'cvk_AAAAAAAAAAAA_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb').expect(401);
      const created = await http(app)
        .post('/api/v1/api-keys')
        .set('Authorization', `Bearer ${ownerToken}`)
        .send({ name: 'short-lived', expiresAt: new Date(Date.now() + 1500).toISOString() })
        .expect(201);
      await http(app).get('/api/v1/users').set('X-API-Key', created.body.key).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 1600));
      await http(app).get('/api/v1/users').set('X-API-Key', created.body.key).expect(401);
    });
  });

  describe('roles', () => {
    it('answers 403 when a viewer or agent manages users, and lets admins create agents', async () => {
      const users = await http(app).get('/api/v1/users').set('Authorization', `Bearer ${ownerToken}`).expect(200);
      const organizationId = users.body.data[0].organizationId;
      const viewer = await userFactory.create(app.dataSource, { organizationId, role: UserRole.Viewer });
      const viewerToken = await login(app, viewer.email, DEFAULT_TEST_PASSWORD);
      const forbidden = await http(app).get('/api/v1/users').set('Authorization', `Bearer ${viewerToken}`).expect(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');

      const admin = await userFactory.create(app.dataSource, { organizationId, role: UserRole.Admin });
      const adminToken = await login(app, admin.email, DEFAULT_TEST_PASSWORD);
      await http(app).post('/api/v1/users').set('Authorization', `Bearer ${adminToken}`).send({ email: 'agent1@test.conversa', password: 'agent-password', role: 'agent' }).expect(201);
      await http(app).post('/api/v1/users').set('Authorization', `Bearer ${adminToken}`).send({ email: 'owner2@test.conversa', password: 'owner-password', role: 'owner' }).expect(403);
    });

    it('stops accepting a deactivated user at once', async () => {
      const users = await http(app).get('/api/v1/users').set('Authorization', `Bearer ${ownerToken}`).expect(200);
      const organizationId = users.body.data[0].organizationId;
      const admin = await userFactory.create(app.dataSource, { organizationId, role: UserRole.Admin });
      const token = await login(app, admin.email, DEFAULT_TEST_PASSWORD);
      await http(app).patch(`/api/v1/users/${admin.id}`).set('Authorization', `Bearer ${ownerToken}`).send({ isActive: false }).expect(200);
      await http(app).get('/api/v1/users').set('Authorization', `Bearer ${token}`).expect(401);
    });
  });

  describe('errors', () => {
    it('answers unknown routes with a JSON 404', async () => {
      const response = await http(app).get('/no/such/route').expect(404);
      expect(response.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    });

    it('never logs the Authorization header or passwords', async () => {
      expect(app.logs.join('\n')).not.toContain(ownerToken);
      expect(app.logs.join('\n')).not.toContain(app.config.ADMIN_PASSWORD);
    });
  });
});
