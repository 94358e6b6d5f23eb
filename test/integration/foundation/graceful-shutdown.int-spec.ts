import Redis from 'ioredis';
import { JobName } from '../../../src/queues/job-names';
import { JobProducer } from '../../../src/queues/job-producer.service';
import { QueueName } from '../../../src/queues/queue-names';
import { createTestApp, waitFor } from '../../support/test-app';

describe('graceful shutdown', () => {
  it('lets a running job finish before the worker process closes', async () => {
    const app = await createTestApp({ env: { APP_ROLES: 'worker' } });
    const redis = new Redis(app.config.REDIS_URL);
    // Outside the app's queue prefix: closing a test app deletes every key under it.
    const marker = `conversa-test:shutdown-marker:${process.pid}`;
    try {
      await app.get(JobProducer).enqueue(JobName.Noop, { sleepMs: 1500, marker }, { key: 'shutdown-test' });
      const queue = app.get(JobProducer).queue(QueueName.Maintenance);
      await waitFor(async () => (await queue.getActiveCount()) === 1, 5000, 'job active');
      const closing = Date.now();
      await app.close();
      // close() waited for the job instead of abandoning it.
      expect(Date.now() - closing).toBeGreaterThan(500);
      expect(await redis.get(marker)).toBe('done');
    } finally {
      await redis.del(marker);
      redis.disconnect();
    }
  });
});
