import { schedulesFor } from '../../../src/modules/maintenance/scheduler.service';
import { JobProducer } from '../../../src/queues/job-producer.service';
import { JOB_QUEUE } from '../../../src/queues/job-names';
import { freePorts } from '../../support/ports';
import { ScratchRedis } from '../../support/redis-server';
import { createTestApp, waitFor } from '../../support/test-app';

describe('SchedulerService', () => {
  it('registers the job schedulers again when Redis comes back empty', async () => {
    const [port] = await freePorts(1, 7600, 7699);
    const redis = new ScratchRedis(port);
    await redis.start();
    const app = await createTestApp({ env: { APP_ROLES: 'scheduler', REDIS_URL: redis.url } });
    try {
      const queues = [...new Set(Object.values(JOB_QUEUE))];
      const schedulers = async () => (await Promise.all(queues.map((queue) => app.get(JobProducer).queue(queue).getJobSchedulers()))).flat().map((s) => s.key).sort();
      const expected = schedulesFor({ MAINTENANCE_SWEEP_INTERVAL_MS: 1, ANALYTICS_ROLLUP_INTERVAL_MS: 1 }).map((s) => s.name).sort();
      expect(await schedulers()).toEqual(expected);

      // No persistence: the restarted Redis has lost every key, the schedulers with them.
      await redis.stop();
      await redis.start();
      // They are registered one after another: wait for the whole set, then compare (a failure names what is missing).
      await waitFor(async () => (await schedulers().catch(() => [])).length >= expected.length, 15_000, 'every job scheduler after the restart').catch(() => undefined);
      expect(await schedulers()).toEqual(expected);
    } finally {
      await app.close();
      await redis.stop();
    }
  }, 30_000);
});
