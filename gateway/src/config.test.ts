import { demandConfigFromEnv, gatewayConfigFromEnv } from './config';

/** Settings are read once, at start: a bad value stops the gateway there, naming the variable. */
describe('gatewayConfigFromEnv', () => {
  it.each([
    ['PORT', 'http'],
    ['GATEWAY_PORT', '40 00'],
    ['ENTITY_CACHE_TTL_SECONDS', 'thirty'],
    ['ENTITY_CACHE_MAX_ENTRIES', '-5'],
    ['ENTITY_CACHE_MAX_ENTRIES', '1.5'],
    ['METRICS_MAX_OPERATION_NAMES', 'lots'],
    ['METRICS_MAX_CLIENTS', 'NaN'],
    ['METRICS_PORT', 'nine'],
    ['LAST_GOOD_MAX_ENTRIES', '1e400'],
    ['LAST_GOOD_MAX_ENTRIES_PER_VIEWER', '2.5'],
    ['GATEWAY_HEAP_GROWTH', 'small'],
    ['GATEWAY_HEAP_GROWTH', '1'],
    ['GATEWAY_HEAP_GROWTH', '5'],
    ['GATEWAY_CONCURRENCY', 'lots'],
    ['GATEWAY_CONCURRENCY', '0'],
    ['GATEWAY_CONCURRENCY', '2.5'],
    ['GATEWAY_CONCURRENCY_MIN', '0'],
    ['GATEWAY_CONCURRENCY_MIN', 'few'],
  ])('refuses %s=%j at start, naming it', (name, value) => {
    expect(() => gatewayConfigFromEnv({ [name]: value })).toThrow(new RegExp(`^${name} must be`));
  });

  it('reads the documented defaults when nothing is set', () => {
    const config = gatewayConfigFromEnv({});
    expect(config.port).toBe(4000);
    expect(config.entityCache).toMatchObject({ subgraphs: ['catalog'], ttlSeconds: 30, maxEntries: 50_000 });
    expect(config.telemetry).toEqual({ metrics: true, maxOperationNames: 200, maxClients: 50 });
    expect(config.metricsListener).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(config.lastGood).toMatchObject({ maxEntries: 20_000, maxEntriesPerViewer: 100 });
    expect(config.demand.trustProxy).toBe(false);
    expect(config.executor).toBe('ours');
    expect(config.heapGrowth).toBeUndefined();
    expect(config.resilience.breaker).toEqual({ errorThresholdPercentage: 50, volumeThreshold: 10, rollingWindowMs: 10_000, resetTimeoutMs: 1_000 });
  });

  it('limits concurrency adaptively from 16 and never under 8 unless told otherwise', () => {
    expect(gatewayConfigFromEnv({}).concurrency).toMatchObject({ initial: 16, min: 8, max: 1024 });
    expect(gatewayConfigFromEnv({ GATEWAY_CONCURRENCY: 'adaptive', GATEWAY_CONCURRENCY_MIN: '24' }).concurrency).toMatchObject({ initial: 24, min: 24, max: 1024 });
    expect(gatewayConfigFromEnv({ GATEWAY_CONCURRENCY: '12' }).concurrency).toMatchObject({ initial: 12, min: 12, max: 12 });
    expect(gatewayConfigFromEnv({ GATEWAY_CONCURRENCY: 'off' }).concurrency).toBe('off');
  });

  it('reads GATEWAY_HEAP_GROWTH as a factor', () => {
    expect(gatewayConfigFromEnv({ GATEWAY_HEAP_GROWTH: '2.5' }).heapGrowth).toBe(2.5);
  });

  it('runs our executor unless GATEWAY_EXECUTOR=stock, and refuses any other value', () => {
    expect(gatewayConfigFromEnv({}).executor).toBe('ours');
    expect(gatewayConfigFromEnv({ GATEWAY_EXECUTOR: 'ours' }).executor).toBe('ours');
    expect(gatewayConfigFromEnv({ GATEWAY_EXECUTOR: 'stock' }).executor).toBe('stock');
    expect(() => gatewayConfigFromEnv({ GATEWAY_EXECUTOR: 'fast' })).toThrow(/^GATEWAY_EXECUTOR must be ours or stock/);
  });

  it('reads valid numbers as numbers', () => {
    const config = gatewayConfigFromEnv({ PORT: '4100', ENTITY_CACHE_TTL_SECONDS: '5', ENTITY_CACHE_MAX_ENTRIES: '10', METRICS_MAX_OPERATION_NAMES: '7', METRICS_PORT: '0' });
    expect([config.port, config.entityCache.ttlSeconds, config.entityCache.maxEntries, config.telemetry.maxOperationNames, config.metricsListener.port]).toEqual([4100, 5, 10, 7, 0]);
  });

  it('caches entities only of subgraphs whose entities are declared public, and says why otherwise', () => {
    expect(gatewayConfigFromEnv({ ENTITY_CACHE_SUBGRAPHS: '' }).entityCache.subgraphs).toEqual([]);
    expect(gatewayConfigFromEnv({ ENTITY_CACHE_SUBGRAPHS: ' catalog ' }).entityCache.subgraphs).toEqual(['catalog']);
    for (const name of ['profile', 'recommendation', 'playback-session']) {
      expect(() => gatewayConfigFromEnv({ ENTITY_CACHE_SUBGRAPHS: `catalog,${name}` })).toThrow(
        new RegExp(`^ENTITY_CACHE_SUBGRAPHS: ${name} .*per viewer.*only catalog`),
      );
    }
    expect(() => gatewayConfigFromEnv({ ENTITY_CACHE_SUBGRAPHS: 'catalgo' })).toThrow(/^ENTITY_CACHE_SUBGRAPHS: catalgo is not a subgraph/);
  });
});

describe('TRUST_PROXY', () => {
  it('is off by default: X-Forwarded-For is the client talking, not a proxy', () => {
    expect(demandConfigFromEnv({}).trustProxy).toBe(false);
    expect(demandConfigFromEnv({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it('takes a hop count or the proxies\' addresses, as Express does', () => {
    expect(demandConfigFromEnv({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(demandConfigFromEnv({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
  });

  it('refuses "true" (every hop trusted: any client could name its own address) and nonsense', () => {
    expect(() => demandConfigFromEnv({ TRUST_PROXY: 'true' })).toThrow(/^TRUST_PROXY=true/);
    expect(() => demandConfigFromEnv({ TRUST_PROXY: 'my-proxy' })).toThrow(/^TRUST_PROXY: "my-proxy" is not/);
  });
});
