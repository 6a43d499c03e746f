#!/usr/bin/env node
// `node scripts/composeSmoke.mjs`: docker-compose.yml's stack, as local processes (CI has no
// Docker engine, and `docker-compose config` only checks that the file parses).
//   1. writes the secrets with the README's one command (`npm run --silent auth:keys`), to a
//      temporary .env;
//   2. resolves docker-compose.yml with it (`docker-compose config`);
//   3. starts every service built from our image with its own command and its own resolved
//      environment over the image's ENV (so NODE_ENV=production), in depends_on order: compose
//      hostnames become 127.0.0.1, each service gets a free port, Postgres and Redis are this
//      machine's, under database names and a key prefix of this run (dropped afterwards);
//   4. waits for each one's /health/ready, and says whether that was within what its compose
//      healthcheck allows (start_period + interval x retries). Over it is a warning, not a
//      failure, unless --compose-timing: this check is about what starts, and a shared 2-core
//      machine seeding four databases at once can take longer than a production host would;
//   5. runs every operation in operations/ through that gateway as a registered client, signed in
//      as a demo account, and checks production behaviour (unregistered text refused, a signed-out
//      token refused, each subgraph refusing a direct call without the internal credential);
//   6. stops everything and cleans up. Exit 0 when all of it held, 1 otherwise.
// `--drop VAR` (or `--drop service:VAR`, repeatable) removes a variable from the resolved
// environment: a missing variable must fail this check, and this is how to see that it does.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import pg from 'pg';
import { freePort, startProcess, stopProcess } from '../bench/lib/system.mjs';
import { imageServices, readImageDefaults, resolveCompose } from './composeSmoke/composeServices.mjs';
import { localServices } from './composeSmoke/localServices.mjs';
import { runContract, runProductionChecks } from './composeSmoke/contractRun.mjs';
import { deleteKeysWithPrefix, ROOT } from './composeSmoke/platform.mjs';

const { values: opts } = parseArgs({
  options: {
    drop: { type: 'string', multiple: true, default: [] },
    verbose: { type: 'boolean', default: false },
    'compose-timing': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  console.log('node scripts/composeSmoke.mjs [--drop VAR | --drop service:VAR]... [--compose-timing] [--verbose]');
  process.exit(0);
}

// The machine's own Postgres and Redis stand in for the compose services of those names.
const POSTGRES_URL = process.env.SMOKE_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.SMOKE_REDIS_URL || 'redis://127.0.0.1:6379';
const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
// Without --compose-timing, how long a service may take to be ready before the check gives up.
const READY_BACKSTOP_MS = 10 * 60_000;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (line) => console.log(`[smoke ${elapsed()}] ${line}`);

const running = [];
let tmpDir;
let cleaned = false;

async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const proc of running.reverse()) await stopProcess(proc, 10_000).catch(() => undefined);
  if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  try {
    await admin.connect();
    const { rows } = await admin.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`smoke\\_${runId}\\_%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } catch (err) {
    console.error(`[smoke] could not drop this run's databases: ${err.message}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await deleteKeysWithPrefix(redis, `smoke:${runId}:`);
  } catch (err) {
    console.error(`[smoke] could not delete this run's Redis keys: ${err.message}`);
  } finally {
    redis.disconnect();
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void cleanup().then(() => process.exit(130)));

async function main() {
  for (const entry of ['gateway/dist/index.js', 'packages/platform/dist/index.js']) {
    if (!existsSync(path.join(ROOT, entry))) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  }

  // 1. The secrets, exactly as the README says to make them.
  tmpDir = mkdtempSync(path.join(os.tmpdir(), 'compose-smoke-'));
  const envFile = path.join(tmpDir, '.env');
  writeFileSync(envFile, execFileSync('npm', ['run', '--silent', 'auth:keys'], { cwd: ROOT, encoding: 'utf8' }), { mode: 0o600 });

  // 2. The compose file as docker-compose resolves it.
  const config = resolveCompose({ root: ROOT, composeFile: path.join(ROOT, 'docker-compose.yml'), envFile });
  const services = imageServices(config, { root: ROOT, imageDefaults: readImageDefaults(path.join(ROOT, 'Dockerfile')) });
  if (services.length === 0) throw new Error('docker-compose.yml starts nothing from our image');
  const ports = {};
  for (const s of services) ports[s.name] = await freePort();
  const backing = { postgres: new URL(POSTGRES_URL).host, redis: new URL(REDIS_URL).host };
  const others = Object.keys(config.services).filter((n) => !services.some((s) => s.name === n) && !config.services[n].profiles?.length);
  for (const name of others) if (!backing[name]) throw new Error(`compose service ${name}: nothing on this machine stands in for it`);
  const local = localServices(services, { ports, backing, runId, allServiceNames: Object.keys(config.services), drop: opts.drop });
  log(`${local.length} services from our image: ${local.map((s) => `${s.name} on :${s.localPort}`).join(', ')}; run ${runId}`);
  log(`added to each environment: port, host 127.0.0.1, DATABASE_PREFIX=smoke_${runId}, CACHE_KEY_PREFIX=smoke:${runId}:`);
  if (opts.drop.length) log(`dropped: ${opts.drop.join(', ')}`);

  // 3-4. Start in depends_on order; each must be ready within its healthcheck's allowance.
  const ready = new Set();
  const pending = [...local];
  while (pending.length) {
    const wave = pending.filter((s) => s.dependsOn.every((d) => ready.has(d) || !local.some((x) => x.name === d)));
    if (wave.length === 0) throw new Error(`depends_on can't be satisfied: ${pending.map((s) => s.name).join(', ')}`);
    await Promise.all(wave.map(async (s) => {
      const t0 = Date.now();
      const within = opts['compose-timing'] ? s.readyWithinMs : Math.max(s.readyWithinMs, READY_BACKSTOP_MS);
      const [program, ...args] = s.command;
      if (program !== 'node') throw new Error(`${s.name}: runs ${program}, and this check only runs node entry points`);
      const proc = await startProcess({
        name: s.name,
        args,
        env: s.env,
        ready: /ready at /,
        timeoutMs: within,
        log: opts.verbose ? console.log : () => {},
      }).catch((err) => {
        throw new Error(`${s.name} did not start: ${err.message}`);
      });
      running.push(proc);
      await waitReady(s, proc, t0, within);
      ready.add(s.name);
      const took = Date.now() - t0;
      const allowance = `${s.readyWithinMs / 1000} s`;
      log(`${s.name} ready in ${(took / 1000).toFixed(1)} s (${took <= s.readyWithinMs ? `compose's healthcheck allows ${allowance}` : `WARNING: compose's healthcheck allows only ${allowance}`})`);
    }));
    for (const s of wave) pending.splice(pending.indexOf(s), 1);
  }

  // 5. The client contract through the gateway.
  const gateway = local.find((s) => s.name === 'gateway');
  if (!gateway) throw new Error('no gateway service in docker-compose.yml');
  const gatewayUrl = `http://127.0.0.1:${gateway.localPort}/`;
  const contract = await runContract(gatewayUrl, { root: ROOT, runId });
  for (const line of contract.lines) log(line);
  const subgraphUrls = Object.fromEntries(local.filter((s) => s !== gateway).map((s) => [s.name, `http://127.0.0.1:${s.localPort}/graphql`]));
  const production = await runProductionChecks(gatewayUrl, { signedOutToken: contract.state.token, subgraphUrls });
  if (production.length === 0) log(`ok   production: unregistered text refused, a signed-out token refused, ${Object.keys(subgraphUrls).length} subgraphs refuse a direct call`);
  const failures = [...contract.failures, ...production];
  const crashed = running.filter((p) => p.exited);
  for (const p of crashed) failures.push(`${p.name} exited (${p.exitInfo}) during the run:\n${p.tail.join('\n')}`);
  if (failures.length) throw new Error(`the contract failed on the compose stack:\n- ${failures.join('\n- ')}`);
}

/** GET /health/ready until 200, within `withinMs` of its start, or the process's exit. */
async function waitReady(service, proc, t0, withinMs) {
  let last = 'no answer';
  while (Date.now() - t0 < withinMs) {
    if (proc.exited) throw new Error(`${service.name} exited (${proc.exitInfo}) before it was ready:\n${proc.tail.join('\n')}`);
    try {
      const res = await fetch(`http://127.0.0.1:${service.localPort}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `${res.status} ${(await res.text()).slice(0, 200)}`;
    } catch (err) {
      last = err.cause?.code ?? err.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${service.name}: /health/ready not 200 within ${withinMs / 1000} s; last: ${last}`);
}

let code = 0;
try {
  await main();
  log('passed: every service started from its compose definition and the contract ran through the gateway');
} catch (err) {
  console.error(`[smoke ${elapsed()}] FAILED: ${err.message}`);
  code = 1;
} finally {
  await cleanup();
  log(`done in ${elapsed()}`);
}
process.exit(code);
