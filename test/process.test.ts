import { dropTestDatabases, newRunId, TEST_POSTGRES_URL, TEST_REDIS_URL } from '@streaming/testing';
import { runUntilReady } from './support/processes';

/**
 * The processes as deployed (compiled entry points, configured by the environment) start, serve
 * and stop cleanly on SIGTERM: what an orchestrator (or Ctrl-C on `npm start`) sends.
 * Needs the build, which `npm test` runs first.
 */
const runId = newRunId();

afterAll(() => dropTestDatabases(runId));

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
