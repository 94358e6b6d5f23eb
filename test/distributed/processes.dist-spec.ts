import { Queue } from 'bullmq';
import { QueueName } from '../../src/queues/queue-names';
import { JOB_QUEUE } from '../../src/queues/job-names';
import { schedulesFor } from '../../src/modules/maintenance/scheduler.service';
import { ensureBuilt } from '../support/ensure-build';
import { waitFor } from '../support/test-app';
import { startCluster, type Cluster } from './cluster';
import { BurstTraffic } from './traffic';

const CONTACTS = 200;
const PER_CONTACT = 10;
const PHONE_NUMBER_ID = '760000000001';
/**
 * A burst is what arrives within the debounce window. The faults delay part of a burst by up to a minute (events
 * stored while Redis was down wait for the 30-s sweep of events older than 30 s; a SIGKILLed worker's jobs wait
 * for BullMQ's 30-s lock to lapse and the 30-s stalled check), so a shorter window would split bursts in two.
 */
const DEBOUNCE_MS = 75_000;
/**
 * After the worker's SIGKILL: its agent runs wait for their conversation lock (2-min TTL) and its sends for the
 * outbound sweep (70 s); agent jobs lost with Redis's data are swept a debounce + 60 s after their burst.
 */
const SETTLE_TIMEOUT_MS = 300_000;

/** What "done" means: every message stored and answered, every event processed, every send delivered. */
const PROGRESS_SQL = `SELECT
  (SELECT count(*) FROM message WHERE direction = 'inbound')::int AS inbound,
  (SELECT count(*) FROM webhook_event WHERE status <> 'processed')::int AS "eventsPending",
  (SELECT count(*) FROM message WHERE direction = 'outbound' AND status NOT IN ('delivered', 'failed'))::int AS "outboundPending",
  (SELECT count(*) FROM agent_run WHERE outcome = 'failed')::int AS "runsUnfinished",
  (SELECT count(*) FROM conversation c WHERE EXISTS (
     SELECT 1 FROM message m WHERE m.conversation_id = c.id AND m.direction = 'inbound'
        AND m.created_at > COALESCE((SELECT max(r.inbound_at) FROM agent_run r WHERE r.conversation_id = c.id AND r.outcome <> 'failed'), '-infinity'))
  )::int AS unanswered`;

interface Progress {
  inbound: number;
  eventsPending: number;
  outboundPending: number;
  runsUnfinished: number;
  unanswered: number;
}

describe('Conversa as separate processes: 2 api, 2 worker, 1 scheduler', () => {
  let cluster: Cluster;
  let token: string;
  let failed = true;

  beforeAll(async () => {
    ensureBuilt();
    cluster = await startCluster({ AGENTS_DEBOUNCE_MS: String(DEBOUNCE_MS) });
    token = await login(cluster);
    await createMetaAccount(cluster, token);
  }, 120_000);

  afterAll(async () => {
    await cluster?.close(failed);
  }, 60_000);

  it('stores, answers and sends exactly once while a worker is SIGKILLed and Redis restarts', async () => {
    try {
      await runScenario(cluster);
      failed = false;
    } catch (error) {
      // The processes' own last words, only when something failed.
      process.stderr.write(`${cluster.logs()}\n`);
      throw error;
    }
  }, DEBOUNCE_MS + SETTLE_TIMEOUT_MS + 180_000);
});

async function runScenario(cluster: Cluster): Promise<void> {
  const started = Date.now();
  const traffic = new BurstTraffic({
    phoneNumberId: PHONE_NUMBER_ID,
    appSecret: cluster.env.META_APP_SECRET,
    contacts: CONTACTS,
    messagesPerContact: PER_CONTACT,
    spacingMs: 75,
    apiUrls: [cluster.apiUrl(0), cluster.apiUrl(1)],
  });
  const [, redis] = await Promise.all([traffic.run(), restartRedisDuring(traffic, cluster)]);
  const ingestMs = Date.now() - started;
  const worker = await killWorkerWhileReplying(cluster);

  const progress = await settle(cluster, SETTLE_TIMEOUT_MS);
  const settledMs = Date.now() - started;
  const faults = JSON.stringify({ ...redis, ...worker, responses: Object.fromEntries(traffic.statuses) });
  process.stdout.write(`distributed: posted in ${ingestMs} ms, settled ${settledMs} ms after the first post; ${faults}\n`);
  expect(progress).toEqual({ inbound: CONTACTS * PER_CONTACT, eventsPending: 0, outboundPending: 0, runsUnfinished: 0, unanswered: 0 });

  await expectEveryMessageOnce(cluster);
  await expectOneReplyPerBurst(cluster);
  const unknownOutcome = await expectEachSendOnce(cluster, worker.sendingAtKill);
  process.stdout.write(`distributed: ${unknownOutcome} replies failed as SEND_OUTCOME_UNKNOWN (in flight on the killed worker)\n`);
  await expectSchedulersAlive(cluster);
  expect(await failedJobs(cluster)).toBe(0);
}

/** Inbound durability: Redis restarts empty (no persistence) 30 % of the way into the traffic. */
async function restartRedisDuring(traffic: BurstTraffic, cluster: Cluster): Promise<{ redisRestartedAtBurst: number }> {
  await traffic.reached(Math.floor(CONTACTS * 0.3));
  const redisRestartedAtBurst = traffic.sentBursts;
  await cluster.redis.stop();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await cluster.redis.start();
  return { redisRestartedAtBurst };
}

/** Sends and agent runs in flight: a worker is SIGKILLed once a fifth of the replies exist, and started again. */
async function killWorkerWhileReplying(cluster: Cluster): Promise<Record<string, number>> {
  const outbound = async () => (await cluster.db.query<{ n: number; sending: number }>(`SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'sending')::int AS sending FROM message WHERE direction = 'outbound'`)).rows[0];
  await waitFor(async () => (await outbound()).n >= CONTACTS / 5, DEBOUNCE_MS + 120_000, 'the first replies');
  const [worker] = cluster.workers;
  await worker.kill('SIGKILL');
  const atKill = await outbound();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await worker.start();
  return { repliesAtKill: atKill.n, sendingAtKill: atKill.sending };
}

async function settle(cluster: Cluster, timeoutMs: number): Promise<Progress> {
  const deadline = Date.now() + timeoutMs;
  let progress: Progress;
  do {
    [progress] = (await cluster.db.query<Progress>(PROGRESS_SQL)).rows;
    const done = progress.inbound === CONTACTS * PER_CONTACT && progress.eventsPending + progress.outboundPending + progress.runsUnfinished + progress.unanswered === 0;
    if (done) return progress;
    await new Promise((resolve) => setTimeout(resolve, 500));
  } while (Date.now() < deadline);
  return progress;
}

async function expectEveryMessageOnce(cluster: Cluster): Promise<void> {
  const { rows } = await cluster.db.query<{ phone: string; messages: number; distinct: number }>(
    `SELECT ct.phone_e164 AS phone, count(*)::int AS messages, count(DISTINCT m.provider_message_id)::int AS distinct
       FROM message m JOIN contact ct ON ct.id = m.contact_id WHERE m.direction = 'inbound' GROUP BY ct.phone_e164`,
  );
  expect(rows).toHaveLength(CONTACTS);
  expect(rows.filter((row) => row.messages !== PER_CONTACT || row.distinct !== PER_CONTACT)).toEqual([]);
}

/**
 * One agent run per contact's burst, which replied with one message: delivered, or — only for a send the SIGKILL
 * interrupted mid-call — failed as SEND_OUTCOME_UNKNOWN (by design never resent blindly: Meta has no idempotency key).
 */
async function expectOneReplyPerBurst(cluster: Cluster): Promise<void> {
  const { rows } = await cluster.db.query<{ phone: string; runs: string[]; replies: string[] }>(
    `SELECT ct.phone_e164 AS phone,
            ARRAY(SELECT r.outcome::text FROM agent_run r WHERE r.conversation_id = c.id) AS runs,
            ARRAY(SELECT concat_ws(':', m.status, m.error_code) FROM message m WHERE m.conversation_id = c.id AND m.direction = 'outbound') AS replies
       FROM conversation c JOIN contact ct ON ct.id = c.contact_id`,
  );
  expect(rows).toHaveLength(CONTACTS);
  const settledReply = /^(delivered|failed:SEND_OUTCOME_UNKNOWN)$/;
  expect(rows.filter((row) => row.runs.length !== 1 || row.runs[0] !== 'replied' || row.replies.length !== 1 || !settledReply.test(row.replies[0]))).toEqual([]);
}

/** No message reached the provider twice, every accepted send is one delivered row, and only sends cut by the SIGKILL were lost. */
async function expectEachSendOnce(cluster: Cluster, sendingAtKill: number): Promise<number> {
  const outbox = cluster.graph.simulator.outbox;
  const { rows } = await cluster.db.query<{ id: string | null; phone: string; status: string }>(
    `SELECT m.provider_message_id AS id, ct.phone_e164 AS phone, m.status FROM message m JOIN contact ct ON ct.id = m.contact_id WHERE m.direction = 'outbound'`,
  );
  const delivered = rows.filter((row) => row.status === 'delivered');
  expect(new Set(outbox.map((entry) => entry.id)).size).toBe(outbox.length);
  expect(delivered.map((row) => row.id).sort()).toEqual(outbox.map((entry) => entry.id).sort());
  expect(outbox.map((entry) => `+${String(entry.body.to).replace(/\D/g, '')}`).sort()).toEqual(delivered.map((row) => row.phone).sort());
  const lost = rows.filter((row) => row.status !== 'delivered');
  expect(lost.filter((row) => row.id !== null)).toEqual([]);
  expect(lost.length).toBeLessThanOrEqual(sendingAtKill);
  return lost.length;
}

/** The scheduler process never died, and every job scheduler is registered and has fired since Redis came back. */
async function expectSchedulersAlive(cluster: Cluster): Promise<void> {
  expect(cluster.scheduler.running).toBe(true);
  expect(cluster.scheduler.starts).toBe(1);
  const expected = schedulesFor({ MAINTENANCE_SWEEP_INTERVAL_MS: 1, ANALYTICS_ROLLUP_INTERVAL_MS: 1 });
  const queues = [...new Set(expected.map((schedule) => JOB_QUEUE[schedule.name]))].map(
    (name) => new Queue(name, { connection: { host: '127.0.0.1', port: cluster.redis.port }, prefix: cluster.env.QUEUE_PREFIX }),
  );
  try {
    const schedulers = (await Promise.all(queues.map((queue) => queue.getJobSchedulers()))).flat();
    expect(schedulers.map((s) => s.key).sort()).toEqual(expected.map((s) => s.name).sort());
    for (const scheduler of schedulers.filter((s) => s.every)) expect(scheduler.iterationCount ?? 0).toBeGreaterThanOrEqual(1);
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
  }
}

async function failedJobs(cluster: Cluster): Promise<number> {
  let failed = 0;
  for (const name of Object.values(QueueName)) {
    const queue = new Queue(name, { connection: { host: '127.0.0.1', port: cluster.redis.port }, prefix: cluster.env.QUEUE_PREFIX });
    failed += (await queue.getJobCounts('failed')).failed;
    await queue.close();
  }
  return failed;
}

async function login(cluster: Cluster): Promise<string> {
  const response = await fetch(`${cluster.apiUrl(0)}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: cluster.env.ADMIN_EMAIL, password: cluster.env.ADMIN_PASSWORD }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** A Meta number of the bootstrapped organisation, through the second api process; its sends go to the fake Graph API. */
async function createMetaAccount(cluster: Cluster, token: string): Promise<void> {
  const response = await fetch(`${cluster.apiUrl(1)}/api/v1/whatsapp/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: 'Procesos', provider: 'meta', phoneNumberId: PHONE_NUMBER_ID, accessToken: 'EAA-distributed-test-token', rateLimitPerSecond: 200, timezone: 'America/Santiago' }),
  });
  expect(response.status).toBe(201);
}
