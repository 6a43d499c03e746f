import { isClusterUrl, parseClusterUrl, redisUrlFromEnv } from './createRedisClient';

describe('redisUrlFromEnv', () => {
  it('is REDIS_URL without REDIS_CLUSTER_NODES, and nothing without either', () => {
    expect(redisUrlFromEnv({ REDIS_URL: 'redis://cache:6379' })).toBe('redis://cache:6379');
    expect(redisUrlFromEnv({})).toBeUndefined();
    expect(redisUrlFromEnv({ REDIS_CLUSTER_NODES: ' , ' })).toBeUndefined();
  });

  it('turns REDIS_CLUSTER_NODES into a cluster URL that wins, with REDIS_URL credentials', () => {
    const url = redisUrlFromEnv({ REDIS_CLUSTER_NODES: 'a:7000, b:7001', REDIS_URL: 'redis://app:s%3Acret@ignored:6379' })!;
    expect(isClusterUrl(url)).toBe(true);
    expect(parseClusterUrl(url)).toEqual({ nodes: [{ host: 'a', port: 7000 }, { host: 'b', port: 7001 }], username: 'app', password: 's:cret' });
    expect(parseClusterUrl(redisUrlFromEnv({ REDIS_CLUSTER_NODES: '10.0.0.1:6379' })!)).toEqual({ nodes: [{ host: '10.0.0.1', port: 6379 }], username: undefined, password: undefined });
  });

  it('refuses a node that is not host:port, naming the variable', () => {
    expect(() => redisUrlFromEnv({ REDIS_CLUSTER_NODES: 'a:7000,b' })).toThrow('REDIS_CLUSTER_NODES must be comma-separated host:port, got "b"');
  });
});
