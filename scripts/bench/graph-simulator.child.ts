/**
 * The Graph simulator in its own process, for benchmarks: Meta stamps a request when it reaches Meta, not
 * when the sender's event loop gets round to it, so the simulator must not share the sender's event loop.
 * Reports its URL once ready, then every 100 ms the sends received since the last report, over IPC.
 */
import { startGraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';

/** [phone number id, received at (epoch ms), biz_opaque_callback_data, to] */
export type SentRecord = [string, number, string, string];

export type SimulatorChildMessage = { type: 'ready'; url: string } | { type: 'sent'; records: SentRecord[] };

/**
 * BENCH_SIM_PORT fixes the port; BENCH_STATUS_URL + BENCH_STATUS_SECRET turn on status webhooks (sent, delivered, read:
 * 3 per send); BENCH_STATUS_BATCH_MS batches them as Meta does under volume (the statuses due within that many ms in one POST).
 */
function options() {
  const { BENCH_SIM_PORT: port, BENCH_STATUS_URL: url, BENCH_STATUS_SECRET: appSecret, BENCH_STATUS_BATCH_MS: batchMs } = process.env;
  return { ...(port ? { port: Number(port) } : {}), ...(url && appSecret ? { statusWebhook: { url, appSecret, ...(batchMs ? { batchMs: Number(batchMs) } : {}) } } : {}) };
}

async function main(): Promise<void> {
  const sim = await startGraphSimulatorServer(options());
  const outbox = sim.simulator.outbox;
  const report = setInterval(() => {
    if (outbox.length === 0) return;
    const records: SentRecord[] = outbox.splice(0).map((e) => [e.phoneNumberId, e.receivedAt.getTime(), String(e.body.biz_opaque_callback_data), String(e.body.to)]);
    process.send?.({ type: 'sent', records } satisfies SimulatorChildMessage);
  }, 100);
  process.send?.({ type: 'ready', url: sim.url } satisfies SimulatorChildMessage);
  process.once('disconnect', () => {
    clearInterval(report);
    void sim.close().then(() => process.exit(0));
  });
}

void main();
