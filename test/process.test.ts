import { deleteTestKeys, dropTestDatabases, newRunId, TEST_POSTGRES_URL, TEST_REDIS_URL } from '@streaming/testing';
import { runUntilReady } from './support/processes';

/**
 * The processes as deployed (compiled entry points, configured by the environment) start, serve
 * and stop cleanly on SIGTERM: what an orchestrator (or Ctrl-C on `npm start`) sends.
 * Needs the build, which `npm test` runs first.
 */
const runId = newRunId();

afterAll(async () => {
  await dropTestDatabases(runId);
  await deleteTestKeys(runId);
});

it.each([
  ['catalog', 'subgraphs/catalog/dist/index.js'],
  ['recommendation', 'subgraphs/recommendation/dist/index.js'],
])('the %s process serves and exits 0 on SIGTERM', async (name, entry) => {
  const process_ = runUntilReady(entry, {
    POSTGRES_URL: TEST_POSTGRES_URL, DATABASE_PREFIX: `test_${runId}`, REDIS_URL: TEST_REDIS_URL,
    CACHE_KEY_PREFIX: `test:${runId}:`, SEED_IF_EMPTY: 'true', SEED_SCALE: '0.02', [`${name.toUpperCase()}_PORT`]: '0',
  });
  const url = await process_.ready;
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _service { sdl } }' }) });
  expect(response.status).toBe(200);
  process_.child.kill('SIGTERM');
  const code = await Promise.race([process_.exited, new Promise((r) => setTimeout(() => r('still running after 10 s'), 10_000))]);
  expect({ code, output: code === 0 ? '' : process_.output() }).toEqual({ code: 0, output: '' });
});

it('the gateway process serves GraphQL on PORT and /metrics only on its admin listener (METRICS_PORT, loopback)', async () => {
  const gateway = runUntilReady('gateway/dist/index.js', {
    PORT: '0', HOST: '127.0.0.1', METRICS_PORT: '0', DATA_DIR: `.data/test-${runId}`,
    // No subgraph is up: the gateway starts and serves on its static supergraph all the same.
    PROFILE_URL: 'http://127.0.0.1:9/graphql', CATALOG_URL: 'http://127.0.0.1:9/graphql',
    PLAYBACK_SESSION_URL: 'http://127.0.0.1:9/graphql', RECOMMENDATION_URL: 'http://127.0.0.1:9/graphql',
  });
  try {
    const url = await gateway.ready;
    const metricsUrl = /metrics at (\S+)/.exec(gateway.output())?.[1];
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(metricsUrl!).port).not.toBe(new URL(url).port);
    expect((await fetch(new URL('/metrics', url))).status).toBe(404);
    const scrape = await fetch(metricsUrl!);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toMatch(/^process_resident_memory_bytes /m);
  } catch (err) {
    gateway.child.kill('SIGKILL');
    throw err;
  }
  gateway.child.kill('SIGTERM');
  const code = await Promise.race([gateway.exited, new Promise((r) => setTimeout(() => r('still running after 10 s'), 10_000))]);
  expect({ code, output: code === 0 ? '' : gateway.output() }).toEqual({ code: 0, output: '' });
});
