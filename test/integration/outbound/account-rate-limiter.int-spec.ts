import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AccountRateLimiter, type Admission, JITTER_MARGIN_MS, LATE_DISPATCH_MS } from '../../../src/modules/communications/outbound/account-rate-limiter.service';
import { createTestApp, type TestApp } from '../../support/test-app';

const WINDOW_MS = 1000 + JITTER_MARGIN_MS;

/** The per-account send window against real Redis: what it admits, and how a late send moves its entry. */
describe('AccountRateLimiter send window', () => {
  let app: TestApp;
  let limiter: AccountRateLimiter;

  beforeAll(async () => {
    app = await createTestApp({ env: { APP_ROLES: 'api' } });
    limiter = app.get(AccountRateLimiter);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function admitted(accountId: string, limit: number): Promise<Admission> {
    const answer = await limiter.admit(accountId, limit, randomUUID());
    if (!('admittedAt' in answer)) throw new Error(`expected an admission, was told to wait ${answer.waitMs} ms`);
    return answer;
  }

  async function waitAfter(accountId: string, limit: number): Promise<number> {
    const answer = await limiter.admit(accountId, limit, randomUUID());
    if ('admittedAt' in answer) throw new Error('expected to be told to wait, was admitted');
    return answer.waitMs;
  }

  it('admits `limit` calls in a window and tells the next one how long until the oldest leaves it', async () => {
    const account = randomUUID();
    for (let i = 0; i < 3; i++) await admitted(account, 3);
    const waitMs = await waitAfter(account, 3);
    expect(waitMs).toBeGreaterThan(WINDOW_MS - 200);
    expect(waitMs).toBeLessThanOrEqual(WINDOW_MS);
  });

  it('leaves the entry of a call written out on time where it is', async () => {
    const account = randomUUID();
    const id = randomUUID();
    const answer = await limiter.admit(account, 1, id);
    if (!('admittedAt' in answer)) throw new Error('expected an admission');
    // Written just now (the check itself may have taken a few ms on a busy machine).
    await expect(limiter.recordDispatch(account, id, { ...answer, askedAt: performance.now() })).resolves.toBe(false);
    expect(await waitAfter(account, 1)).toBeLessThanOrEqual(WINDOW_MS);
  });

  it('counts a call written out late from when it left, so the next call waits that much longer', async () => {
    const account = randomUUID();
    const id = randomUUID();
    const answer = await limiter.admit(account, 1, id);
    if (!('admittedAt' in answer)) throw new Error('expected an admission');
    // As if the worker's event loop had held the call for 400 ms between the check and the write.
    const lateBy = 400;
    await expect(limiter.recordDispatch(account, id, { ...answer, askedAt: answer.askedAt - lateBy })).resolves.toBe(true);
    const waitMs = await waitAfter(account, 1);
    expect(waitMs).toBeGreaterThan(WINDOW_MS + lateBy - 200);
    expect(waitMs).toBeLessThanOrEqual(WINDOW_MS + lateBy + LATE_DISPATCH_MS + 50);
  });

  it('counts a call again when it leaves after its entry already expired from the window', async () => {
    const account = randomUUID();
    const id = randomUUID();
    const answer = await limiter.admit(account, 2, id);
    if (!('admittedAt' in answer)) throw new Error('expected an admission');
    // Held for longer than the window: the next check drops its entry and admits another call.
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 50));
    await admitted(account, 2);
    await expect(limiter.recordDispatch(account, id, answer)).resolves.toBe(true);
    // Both calls are in the log now, so a limit of 2 admits no third.
    expect(await waitAfter(account, 2)).toBeGreaterThan(WINDOW_MS - 100);
  });
});
