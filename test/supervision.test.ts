import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { deleteTestKeys, dropTestDatabases, newRunId, postGraphQL, TEST_POSTGRES_URL, TEST_REDIS_URL } from '@streaming/testing';

/**
 * `npm start` (scripts/start.mjs, the compiled entry points) as a new user runs it with Postgres
 * and Redis, each subgraph its own process: the banner waits for the gateway's readiness, a
 * `kill -9` of a subgraph is survived (the gateway keeps answering, the process comes back), and
 * SIGTERM stops everything with exit code 0. The embedded mode's single subgraph process is
 * supervised by the same code; it is not run here because four PGlite stores take minutes to
 * start on a busy CI machine. Needs the build (`npm run build`).
 */
const root = path.resolve(__dirname, '..');
const runId = newRunId();
afterAll(async () => {
  await dropTestDatabases(runId);
  await deleteTestKeys(runId);
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const HOME = 'query($id: ID!) { profile(id: $id) { name homeRows(first: 2, itemsPerRow: 3) { title items { id name } } } }';

it('restarts a crashed subgraph process while the gateway keeps serving, and stops on SIGTERM', async () => {
  if (!existsSync(path.join(root, 'gateway/dist/index.js'))) throw new Error('run `npm run build` first');
  const [gateway, profile, catalog, playback, recommendation] = await Promise.all(Array.from({ length: 5 }, freePort));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    LOG_LEVEL: 'info', POSTGRES_URL: TEST_POSTGRES_URL, DATABASE_PREFIX: `test_${runId}`, REDIS_URL: TEST_REDIS_URL,
    CACHE_KEY_PREFIX: `test:${runId}:`, SEED_IF_EMPTY: 'true', SEED_SCALE: '0.02',
    PORT: String(gateway), METRICS_PORT: '0', PROFILE_PORT: String(profile), CATALOG_PORT: String(catalog),
    PLAYBACK_SESSION_PORT: String(playback), RECOMMENDATION_PORT: String(recommendation),
    PROFILE_URL: `http://127.0.0.1:${profile}/graphql`, CATALOG_URL: `http://127.0.0.1:${catalog}/graphql`,
    PLAYBACK_SESSION_URL: `http://127.0.0.1:${playback}/graphql`, RECOMMENDATION_URL: `http://127.0.0.1:${recommendation}/graphql`,
  };
  const start = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], { cwd: root, env });
  let output = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk;
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(output);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  start.stdout.on('data', onData);
  start.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => start.on('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const already = pattern.exec(output);
      if (already) return resolve(already);
      waiters.push({ pattern, resolve });
      void exited.then((code) => reject(new Error(`npm start exited (${code}) while waiting for ${pattern}:\n${output}`)));
    });
  const gatewayUrl = `http://127.0.0.1:${gateway}/`;
  try {
    await waitFor(/Streaming supergraph is up/);
    // The banner came after readiness: the very first requests are served whole.
    const signIn = await postGraphQL(gatewayUrl, 'mutation { signIn(email: "demo-premium@example.com", password: "streaming-demo") { accessToken } }');
    expect(signIn.errors).toBeUndefined();
    const auth = { authorization: `Bearer ${signIn.data!.signIn.accessToken}` };
    const first = await postGraphQL(gatewayUrl, HOME, { id: 'demo-premium-1' }, undefined, auth);
    expect(first.errors).toBeUndefined();
    expect(first.data!.profile.homeRows.length).toBe(2);

    const pid = Number((await waitFor(/\[start\] catalog started \(pid (\d+)\)/))[1]);
    process.kill(pid, 'SIGKILL');
    await waitFor(/\[start\] catalog exited \(SIGKILL\); restarting it in 1 s/);
    // Meanwhile the gateway answers, with clear errors instead of a dropped connection.
    const titleId = first.data!.profile.homeRows[0].items[0].id;
    const during = await postGraphQL(gatewayUrl, 'query($id: ID!) { title(id: $id) { name } }', { id: titleId }, undefined, auth);
    expect(during.status).toBe(200);
    expect(during.errors!.map((e) => e.extensions?.code)).toContain('SUBGRAPH_UNAVAILABLE');

    await waitFor(new RegExp(`\\[start\\] catalog started \\(pid (?!${pid}\\))\\d+\\)`));
    let after = during;
    for (let attempt = 0; attempt < 120 && after.errors; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      after = await postGraphQL(gatewayUrl, HOME, { id: 'demo-premium-1' }, undefined, auth);
    }
    expect(after.errors).toBeUndefined();
    expect(after.data).toEqual(first.data);
  } finally {
    start.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running after 20 s'), 20_000).unref())]);
    expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
  }
}, 240_000);
