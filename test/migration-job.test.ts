import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { TEST_POSTGRES_URL } from '@streaming/testing';
import pg from 'pg';

/**
 * Kubernetes' migration Job and the pods beside it (deploy/): a subgraph started with
 * MIGRATE_ON_START=false applies nothing itself and is not ready while its migrations are
 * pending; `node subgraphs/<name>/dist/migrate.js` (the Job's command) applies them, after which
 * the same running process turns ready. Runs the built entry points (npm run build first).
 */
const root = path.resolve(__dirname, '..');
const prefix = `migjob_${process.pid}_${Date.now().toString(36)}`;
let child: ChildProcess | undefined;

afterAll(async () => {
  child?.kill('SIGTERM');
  if (child && child.exitCode === null) await new Promise((r) => child!.once('exit', r));
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  const { rows } = await admin.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}\\_%`]);
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin.end();
});

const freePort = () => new Promise<number>((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo;
    server.close(() => resolve(port));
  });
});

async function ready(port: number): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
  return { status: res.status, body: await res.text() };
}

it('a pod with MIGRATE_ON_START=false is unready until the migration Job has run, then ready', async () => {
  const port = await freePort();
  const env = { PATH: process.env.PATH, POSTGRES_URL: TEST_POSTGRES_URL, DATABASE_PREFIX: prefix, LOG_LEVEL: 'info' };
  child = spawn(process.execPath, ['subgraphs/catalog/dist/index.js'], {
    cwd: root,
    env: { ...env, MIGRATE_ON_START: 'false', CATALOG_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready at /.test(output)) resolve();
    };
    child!.stdout!.on('data', onData);
    child!.stderr!.on('data', onData);
    child!.once('exit', (code) => reject(new Error(`catalog exited ${code}:\n${output}`)));
  });
  expect(output).not.toMatch(/applied migrations/);

  const before = await ready(port);
  expect(before.status).toBe(503);
  expect(before.body).toMatch(/migrations not applied: 20261126000000_init/);

  const job = spawnSync(process.execPath, ['subgraphs/catalog/dist/migrate.js'], { cwd: root, env, encoding: 'utf8' });
  expect(`${job.stdout}${job.stderr}`).toMatch(/applied migrations: 20261126000000_init/);
  expect(job.status).toBe(0);

  // A readiness answer stands for READINESS_CACHE_MS (a second), so the "pending" answer above
  // may still be served; probe again, as a kubelet does, until it has expired.
  let after = await ready(port);
  for (const deadline = Date.now() + 15_000; after.status !== 200 && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 250));
    after = await ready(port);
  }
  expect(after).toEqual({ status: 200, body: expect.any(String) });

  // A second run (the next release's Job with nothing new) has nothing to do.
  const again = spawnSync(process.execPath, ['subgraphs/catalog/dist/migrate.js'], { cwd: root, env, encoding: 'utf8' });
  expect(`${again.stdout}${again.stderr}`).toMatch(/migrations: up to date/);
  expect(again.status).toBe(0);
});
