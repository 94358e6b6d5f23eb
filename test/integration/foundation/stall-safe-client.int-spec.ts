import { Pool } from 'pg';
import { StallSafeClient } from '../../../src/database/stall-safe-client';
import { TcpProxy } from '../../support/tcp-proxy';
import { TEST_PG_ADMIN_URL } from '../../support/test-env';

const PROXY_PORT = 7145;

/** node-postgres through a proxy that silently stops forwarding, then forwards again. */
describe(StallSafeClient.name, () => {
  let proxy: TcpProxy;
  let pool: Pool;

  beforeAll(async () => {
    const target = new URL(TEST_PG_ADMIN_URL);
    proxy = new TcpProxy(PROXY_PORT, { host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
  });

  beforeEach(() => {
    const url = new URL(TEST_PG_ADMIN_URL);
    url.port = String(PROXY_PORT);
    pool = new Pool({ connectionString: url.toString(), max: 1, query_timeout: 500, connectionTimeoutMillis: 2000, Client: StallSafeClient });
  });

  afterEach(async () => {
    proxy.forward();
    proxy.cut();
    await pool.end().catch(() => undefined);
  });

  afterAll(() => proxy.close());

  it('replaces a connection whose query timed out, so the pool works again once the network is back', async () => {
    const client = await pool.connect();
    await client.query('SELECT 1');
    proxy.blackHole();
    await expect(client.query('SELECT 1')).rejects.toThrow('Query read timeout');
    client.release();
    proxy.forward();
    await expect(pool.query('SELECT 2 AS x')).resolves.toMatchObject({ rows: [{ x: 2 }] });
  });
});
