import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { ConversationLock } from '../../../src/modules/agents/runtime/conversation-lock';
import { deleteQueueKeys } from '../../support/test-app';
import { TEST_REDIS_URL } from '../../support/test-env';

describe(ConversationLock.name, () => {
  const prefix = `{conversa-t-${randomBytes(4).toString('hex')}}`;
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    await deleteQueueKeys(TEST_REDIS_URL, prefix);
    redis.disconnect();
  });

  describe('withLock', () => {
    it('keeps a run that outlasts the TTL exclusive, because the lock is renewed while it runs', async () => {
      const lock = new ConversationLock(redis, prefix, 300);
      let releaseFirst!: () => void;
      const events: string[] = [];
      const first = lock.withLock('c1', async () => {
        events.push('first:start');
        await new Promise<void>((done) => (releaseFirst = done));
        events.push('first:end');
      });
      await new Promise((done) => setTimeout(done, 50));
      const second = lock.withLock('c1', async () => void events.push('second'), 5000);
      // Four TTLs: without renewal the second run would have started long before.
      await new Promise((done) => setTimeout(done, 1200));
      expect(events).toEqual(['first:start']);
      releaseFirst();
      await Promise.all([first, second]);
      expect(events).toEqual(['first:start', 'first:end', 'second']);
    });
  });
});
