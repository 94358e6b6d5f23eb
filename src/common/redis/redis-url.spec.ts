import { hasHashTag, isClusterUrl, parseRedisUrl } from './redis-url';

describe('parseRedisUrl', () => {
  it('reads a single-node URL as before: host, port, credentials, database, TLS', () => {
    expect(parseRedisUrl('rediss://user:p%40ss@cache.internal:6380/2')).toEqual({
      cluster: false,
      nodes: [{ host: 'cache.internal', port: 6380 }],
      options: { username: 'user', password: 'p@ss', db: 2, tls: {} },
    });
    expect(parseRedisUrl('redis://127.0.0.1')).toMatchObject({ nodes: [{ host: '127.0.0.1', port: 6379 }], options: { db: 0, tls: undefined } });
  });

  it('reads every startup node of a cluster URL, with the credentials shared by all', () => {
    expect(parseRedisUrl('redis+cluster://:secret@10.0.0.1:7000,10.0.0.2:7001,10.0.0.3')).toEqual({
      cluster: true,
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '10.0.0.3', port: 6379 },
      ],
      options: { username: undefined, password: 'secret', db: 0, tls: undefined },
    });
  });

  it('refuses what would silently use one node or a database a cluster lacks', () => {
    expect(() => parseRedisUrl('redis://a:1,b:2')).toThrow(/redis\+cluster/);
    expect(() => parseRedisUrl('redis+cluster://a:1,b:2/3')).toThrow(/database 0/);
    expect(() => parseRedisUrl('http://a:1')).toThrow(/REDIS_URL/);
  });
});

describe('isClusterUrl', () => {
  it('is true only for the +cluster schemes', () => {
    expect(['redis+cluster://a:1', 'rediss+cluster://a:1', 'redis://a:1', 'rediss://a:1'].map(isClusterUrl)).toEqual([true, true, false, false]);
  });
});

describe('hasHashTag', () => {
  it('follows Redis: the first {…} counts, and only when not empty', () => {
    expect(['{conversa}', '{conversa-t-1a2b}:x', 'app:{conversa}', 'conversa', '{}conversa', '{}{conversa}', 'con{versa'].map(hasHashTag)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
