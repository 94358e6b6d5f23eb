import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { MessageTemplate } from '../../src/database/entities/message-template.entity';
import { listTemplateSets } from '../../src/modules/templates/default-template-sets';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { login } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';
import { baseTestEnv } from '../support/test-env';

const ROOT = join(__dirname, '..', '..');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `ts-node src/entrypoints/cli.ts …` (swc: emits the decorator metadata Nest DI needs; tsx does not). */
function runCli(app: TestApp, args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'ts-node'), ['src/entrypoints/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...baseTestEnv(), DATABASE_URL: app.databaseUrl, QUEUE_PREFIX: app.queuePrefix, APP_ROLES: 'api' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('CLI (ts-node src/entrypoints/cli.ts)', () => {
  let app: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    app = await createTestApp({ env: { APP_ROLES: 'api' } });
    tenant = await createTenant(app);
  });
  afterAll(() => app?.close());

  it('templates:install installs a set as DRAFTs, then skips everything on the second run', async () => {
    const recruiting = listTemplateSets().find((s) => s.key === 'recruiting')!;
    const first = await runCli(app, ['templates:install', '--account', tenant.account.id, '--set', 'recruiting']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ set: 'recruiting', created: recruiting.templates.length, skipped: 0 });
    const rows = await app.dataSource.getRepository(MessageTemplate).find({ where: { whatsappAccountId: tenant.account.id } });
    expect(rows.map((r) => r.name).sort()).toEqual(recruiting.templates.map((t) => t.name).sort());
    expect(rows.every((r) => r.status === 'DRAFT' && r.organizationId === tenant.organization.id)).toBe(true);

    const second = await runCli(app, ['templates:install', '--account', tenant.account.id, '--set', 'recruiting']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ created: 0, skipped: recruiting.templates.length });
  });

  it('templates:install fails with exit code 1 and a clear message for an unknown set or account', async () => {
    const unknownSet = await runCli(app, ['templates:install', '--account', tenant.account.id, '--set', 'panaderia']);
    expect(unknownSet.code).toBe(1);
    expect(unknownSet.stderr).toContain('TEMPLATE_SET_NOT_FOUND');
    const missing = await runCli(app, ['templates:install', '--set', 'retail']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--account <id> is required');
  });

  it('users:create creates a user in the given organisation who can then log in; db:migrate has nothing left to run', async () => {
    const email = `cli-${Date.now()}@test.conversa`;
    const created = await runCli(app, ['users:create', '--email', email, '--password', 'cli-password-1', '--role', 'agent', '--organization', tenant.organization.id]);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ email, role: 'agent', organizationId: tenant.organization.id });
    expect(await login(app, email, 'cli-password-1')).toEqual(expect.any(String));

    const badRole = await runCli(app, ['users:create', '--email', 'x@test.conversa', '--password', 'cli-password-1', '--role', 'superuser']);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain('--role must be one of');

    const migrate = await runCli(app, ['db:migrate']);
    expect(migrate.code).toBe(0);
    expect(JSON.parse(migrate.stdout)).toEqual({ migrations: [] });
  });
});
