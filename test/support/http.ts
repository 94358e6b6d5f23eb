import request from 'supertest';
import type { TestApp } from './test-app';

export function http(app: TestApp) {
  return request(app.baseUrl);
}

export async function login(app: TestApp, email: string, password: string): Promise<string> {
  const response = await http(app).post('/api/v1/auth/login').send({ email, password }).expect(200);
  return response.body.accessToken as string;
}

/** The bootstrapped owner's token. */
export function loginOwner(app: TestApp): Promise<string> {
  return login(app, app.config.ADMIN_EMAIL, app.config.ADMIN_PASSWORD);
}
