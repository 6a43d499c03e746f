import { postGraphQL } from '@streaming/testing';
import { request } from 'undici';
import { runUntilReady, type RunningProcess } from './support/processes';
import { loadOperations, startTestSupergraph, type TestSupergraph } from './support/supergraph';

/**
 * The compiled gateway with GATEWAY_WORKERS=2 (node:cluster), as production runs it on two
 * cores: it serves through both workers, a worker that dies is replaced while the other keeps
 * serving, and SIGTERM to the primary stops every worker and exits 0. Needs the build.
 */
let sg: TestSupergraph;
let gateway: RunningProcess | undefined;
beforeAll(async () => {
  sg = await startTestSupergraph();
});
afterAll(async () => {
  if (gateway && gateway.child.exitCode === null) gateway.child.kill('SIGKILL');
  await sg?.stop();
});

/** Worker pids in the order their "serving at" lines appeared. */
const workerPids = (output: string) => [...output.matchAll(/worker \d+ \(pid (\d+)\) serving at/g)].map((m) => Number(m[1]));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${gateway?.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('serves with two workers, replaces one that dies, and stops cleanly on SIGTERM', async () => {
  const urls = Object.fromEntries(Object.entries(sg.subgraphs).map(([name, s]) => [`${name.toUpperCase().replace('-', '_')}_URL`, s.url]));
  gateway = runUntilReady('gateway/dist/index.js', {
    ...urls,
    AUTH_JWKS: JSON.stringify(sg.auth.keys.jwks), PORT: '0', HOST: '127.0.0.1', GATEWAY_WORKERS: '2', ENTITY_CACHE_SUBGRAPHS: '',
  });
  const url = await gateway.ready;
  const started = workerPids(gateway.output());
  expect(started).toHaveLength(2);
  expect(new Set([...started, gateway.child.pid]).size).toBe(3);

  const expected = await sg.run('ProfilePicker', { accountId: 'demo-premium' });
  const authorization = `Bearer ${await sg.tokenFor('demo-premium', { ttlSeconds: 3_600 })}`;
  const operation = loadOperations().ProfilePicker;
  const picker = () => postGraphQL(url, operation, { accountId: 'demo-premium' }, 'ProfilePicker', { authorization });
  // Connections are handed out round-robin: several requests reach both workers.
  for (const result of await Promise.all(Array.from({ length: 8 }, picker))) {
    expect({ status: result.status, errors: result.errors, data: result.data }).toEqual({ status: 200, errors: undefined, data: expected.data });
  }

  // One worker dies: the other keeps serving, and a new one takes its place.
  process.kill(started[0], 'SIGKILL');
  await until('the dead worker to be gone', () => (alive(started[0]) ? undefined : true));
  expect((await picker()).data).toEqual(expected.data);
  const replacement = await until('a replacement worker', () => workerPids(gateway!.output())[2]);
  expect(started).not.toContain(replacement);
  expect(gateway.output()).toMatch(/exited \(SIGKILL\); forking another in 1 s/);
  const ready = await request(new URL('/health/ready', url));
  expect(ready.statusCode).toBe(200);
  await ready.body.dump();
  expect((await picker()).data).toEqual(expected.data);

  gateway.child.kill('SIGTERM');
  const code = await Promise.race([gateway.exited, new Promise((resolve) => setTimeout(() => resolve('still running after 20 s'), 20_000).unref())]);
  expect({ code, output: code === 0 ? '' : gateway.output() }).toEqual({ code: 0, output: '' });
  expect([started[1], replacement].filter(alive)).toEqual([]);
});
