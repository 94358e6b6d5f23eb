import { JobHandlers } from '../../../src/queues/worker/job-handlers.service';
import { ALL_QUEUES } from '../../../src/queues/queue-names';
import { createTestApp } from '../../support/test-app';

describe('JobHandlers', () => {
  it('has exactly one handler for every job name once the full worker role has started', async () => {
    const app = await createTestApp({ env: { APP_ROLES: 'worker' } });
    try {
      const handlers = app.get(JobHandlers);
      expect(Object.fromEntries(ALL_QUEUES.map((queue) => [queue, handlers.missingFor(queue)]))).toEqual(Object.fromEntries(ALL_QUEUES.map((queue) => [queue, []])));
    } finally {
      await app.close();
    }
  });
});
