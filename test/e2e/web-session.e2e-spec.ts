import { http } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';

/** The browser's way in: an HttpOnly SameSite=Strict cookie, a CSRF header on changes, and the built app at /app. */
describe('Browser session and the web app', () => {
  let app: TestApp;
  let cookie: string;

  beforeAll(async () => {
    app = await createTestApp({ env: { APP_ROLES: 'api' } });
  });
  afterAll(() => app.close());

  describe('POST /api/v1/auth/session', () => {
    it('sets an HttpOnly, SameSite=Strict session cookie and returns no token in the body', async () => {
      const response = await http(app).post('/api/v1/auth/session').send({ email: app.config.ADMIN_EMAIL, password: app.config.ADMIN_PASSWORD }).expect(200);
      const setCookie = String(response.headers['set-cookie']);
      expect(setCookie).toMatch(/^conversa_session=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
      expect(JSON.stringify(response.body)).not.toMatch(/accessToken|eyJ/);
      cookie = setCookie.split(';')[0];
    });

    it('refuses a wrong password with INVALID_CREDENTIALS and sets no cookie', async () => {
      const response = await http(app).post('/api/v1/auth/session').send({ email: app.config.ADMIN_EMAIL, password: 'wrong-one' }).expect(401);
      expect(response.body.code).toBe('INVALID_CREDENTIALS');
      expect(response.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('cookie-authenticated requests', () => {
    it('reads with the cookie alone', async () => {
      const me = await http(app).get('/api/v1/auth/me').set('Cookie', cookie).expect(200);
      expect(me.body).toMatchObject({ kind: 'user', role: 'owner', email: app.config.ADMIN_EMAIL });
    });

    it('refuses a change without X-Conversa-CSRF (403 CSRF_HEADER_MISSING) and accepts it with the header', async () => {
      const body = { email: 'agent-web@test.conversa', password: 'agent-password', role: 'agent' };
      const refused = await http(app).post('/api/v1/users').set('Cookie', cookie).send(body).expect(403);
      expect(refused.body.code).toBe('CSRF_HEADER_MISSING');
      await http(app).post('/api/v1/users').set('Cookie', cookie).set('X-Conversa-CSRF', '1').send(body).expect(201);
    });

    it('refuses a forged or expired cookie with 401', async () => {
      const response = await http(app).get('/api/v1/auth/me').set('Cookie', 'conversa_session=not.a.jwt').expect(401);
      expect(response.body.code).toBe('UNAUTHORIZED');
    });

    it('clears the cookie on DELETE /api/v1/auth/session', async () => {
      const response = await http(app).delete('/api/v1/auth/session').set('Cookie', cookie).expect(204);
      expect(String(response.headers['set-cookie'])).toMatch(/^conversa_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Strict$/);
    });
  });

  describe('GET /app', () => {
    it('serves index.html for revalidation and hashed assets as immutable, gzip-compressed', async () => {
      await http(app).get('/app').expect(301).expect('location', '/app/');
      const index = await http(app).get('/app/').expect(200);
      expect(index.headers['cache-control']).toBe('no-cache');
      expect(index.text).toContain('<div id="root">');
      const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(index.text)![1];
      const asset = await http(app).get(script).set('Accept-Encoding', 'gzip').expect(200);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(asset.headers['content-encoding']).toBe('gzip');
    });
  });
});
