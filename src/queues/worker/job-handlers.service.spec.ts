import { JobName } from '../job-names';
import { QueueName } from '../queue-names';
import { JobHandlers } from './job-handlers.service';

describe(JobHandlers.name, () => {
  describe('assertComplete', () => {
    it('throws, naming the job, when a job routed to the queue has no handler', () => {
      const handlers = new JobHandlers();
      handlers.register(JobName.SendMessage, async () => undefined);
      expect(() => handlers.assertComplete(QueueName.Outbound)).not.toThrow();
      expect(() => handlers.assertComplete(QueueName.Media)).toThrow(JobName.DownloadMedia);
    });
  });

  describe('register', () => {
    it('refuses a second handler for the same job name', () => {
      const handlers = new JobHandlers();
      handlers.register(JobName.Noop, async () => undefined);
      expect(() => handlers.register(JobName.Noop, async () => undefined)).toThrow('already has a handler');
    });
  });
});
