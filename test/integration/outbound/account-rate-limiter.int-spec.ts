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
    if (answer.waitMs > 0) throw new Error(`expected to go at once, was told to wait ${answer.waitMs} ms`);
    return answer;
  }

  async function admittedAs(accountId: string, limit: number, id: string): Promise<Admission> {
    const answer = await limiter.admit(accountId, limit, id);
    if (answer.waitMs > 0) throw new Error(`expected to go at once, was told to wait ${answer.waitMs} ms`);
    return answer;
  }

  async function waitAfter(accountId: string, limit: number): Promise<number> {
    const answer = await limiter.admit(accountId, limit, randomUUID());
    if (answer.waitMs === 0) throw new Error('expected to be told to wait, may go at once');
    return answer.waitMs;
  }

  it('lets `limit` calls go at once in a window and gives the next one its time: when the oldest leaves it', async () => {
    const account = randomUUID();
    for (let i = 0; i < 3; i++) await admitted(account, 3);
    const waitMs = await waitAfter(account, 3);
    expect(waitMs).toBeGreaterThan(WINDOW_MS - 200);
    expect(waitMs).toBeLessThanOrEqual(WINDOW_MS);
  });

  it('gives callers of a full window their times first come, first served, one window apart per `limit`', async () => {
    const account = randomUUID();
    for (let i = 0; i < 2; i++) await admitted(account, 2);
    const third = await waitAfter(account, 2);
    const fourth = await waitAfter(account, 2);
    const fifth = await waitAfter(account, 2);
    // The third and fourth take the places of the first two; the fifth that of the third, one window later.
    expect(fourth).toBeGreaterThanOrEqual(third - 50);
    expect(fifth).toBeGreaterThan(third + WINDOW_MS - 50);
    expect(fifth).toBeLessThanOrEqual(third + WINDOW_MS + 50);
  });

  it('gives up a caller\'s earlier time when it asks again (it woke too late to use it)', async () => {
    const account = randomUUID();
    const late = randomUUID();
    await admitted(account, 2);
    await limiter.admit(account, 2, late);
    // Asking again replaces its entry instead of adding one: the window still has room for it at once.
    await expect(limiter.admit(account, 2, late)).resolves.toMatchObject({ waitMs: 0 });
    expect(await waitAfter(account, 2)).toBeGreaterThan(WINDOW_MS - 200);
  });

  it('leaves the entry of a call written out on time where it is', async () => {
    const account = randomUUID();
    const id = randomUUID();
    const answer = await admittedAs(account, 1, id);
    // Written just now (the check itself may have taken a few ms on a busy machine).
    await expect(limiter.recordDispatch(account, id, { ...answer, askedAt: performance.now() })).resolves.toBe(false);
    expect(await waitAfter(account, 1)).toBeLessThanOrEqual(WINDOW_MS);
  });

  it('counts a call written out late from when it left, so the next call waits that much longer', async () => {
    const account = randomUUID();
    const id = randomUUID();
    const answer = await admittedAs(account, 1, id);
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
    const answer = await admittedAs(account, 2, id);
    // Held for longer than the window: the next check drops its entry and admits another call.
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 50));
    await admitted(account, 2);
    await expect(limiter.recordDispatch(account, id, answer)).resolves.toBe(true);
    // Both calls are in the log now, so a limit of 2 admits no third.
    expect(await waitAfter(account, 2)).toBeGreaterThan(WINDOW_MS - 100);
  });
});
