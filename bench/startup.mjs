#!/usr/bin/env node
// `npm run bench:startup`: how long `npm start` takes to a signed-in home screen (signIn, then a
// complete HomeScreen 10x20 for demo-premium-1: no errors, nothing degraded), in three cases:
//   first     the first start after `npm install`: no build outputs (dist/, *.tsbuildinfo, the
//             composition and manifest records; the generated code postinstall wrote stays) and
//             an empty embedded store, so it builds, seeds and starts. This deletes this
//             clone's build outputs (the start rebuilds them).
//   restart   the same again, built and seeded: what a developer waits for most.
//   postgres  the README's second command (POSTGRES_URL, REDIS_URL, SEED_IF_EMPTY=true) on fresh
//             databases `startup_<run>_*` (dropped afterwards): seeding on Postgres, each
//             subgraph its own process.
// Every run uses its own ports, data directory and Redis prefix, so it can run beside anything.
// For each: seconds from `npm start` to the build done, each process's "ready at", the banner
// (/health/ready 200) and the home screen; and what each subgraph logged seeding took.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import pg from 'pg';
import { checkHomeScreen } from './lib/scenarios.mjs';
import { eachLine, freePort, ROOT } from './lib/system.mjs';

const require = createRequire(import.meta.url);
const { values: args } = parseArgs({ options: { cases: { type: 'string' }, help: { type: 'boolean' }, timeout: { type: 'string' } } });
if (args.help) {
  console.log(`npm run bench:startup -- [--cases first,restart,postgres] [--timeout <s>]
  first     after npm install: deletes build outputs, fresh embedded store (builds, seeds, starts)
  restart   built and seeded: start again
  postgres  POSTGRES_URL + REDIS_URL + SEED_IF_EMPTY=true on fresh databases (dropped afterwards)`);
  process.exit(0);
}
const cases = String(args.cases ?? 'first,restart,postgres').split(',');
const TIMEOUT_MS = Number(args.timeout ?? 300) * 1000;
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379';
const SUBGRAPHS = ['profile', 'catalog', 'playback-session', 'recommendation'];
const runId = Date.now().toString(36);
const operation = (name) => readFileSync(path.join(ROOT, 'operations', `${name}.graphql`), 'utf8');
const envPrefix = (name) => name.toUpperCase().replace(/-/g, '_');

/** What `npm install` leaves: no compiled output, no records of composition and manifest. */
function removeBuildOutputs() {
  const dirs = ['gateway', ...readdirSync(path.join(ROOT, 'packages')).map((p) => `packages/${p}`), ...SUBGRAPHS.map((s) => `subgraphs/${s}`)];
  for (const dir of dirs) {
    rmSync(path.join(ROOT, dir, 'dist'), { recursive: true, force: true });
    for (const f of existsSync(path.join(ROOT, dir)) ? readdirSync(path.join(ROOT, dir)) : []) if (f.endsWith('.tsbuildinfo')) rmSync(path.join(ROOT, dir, f), { force: true });
  }
  for (const f of readdirSync(ROOT)) if (f.endsWith('.tsbuildinfo')) rmSync(path.join(ROOT, f), { force: true });
  for (const step of ['compose', 'persisted-query-manifest']) rmSync(path.join(ROOT, 'node_modules/.cache/streaming-build', `${step}.json`), { force: true });
}

async function post(url, query, variables, headers = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

/** True once a signed-in demo-premium gets a complete home screen. */
async function signedInHomeScreen(url) {
  try {
    const signIn = await post(url, operation('SignIn'), { email: 'demo-premium@example.com', password: 'streaming-demo' });
    const token = signIn.body?.data?.signIn?.accessToken;
    if (!token) return false;
    const vars = { profileId: 'demo-premium-1', rows: 10, itemsPerRow: 20 };
    const home = await post(url, operation('HomeScreen'), vars, { authorization: `Bearer ${token}` });
    return home.status === 200 && !home.body.errors && !home.body.extensions?.degraded && !checkHomeScreen(home.body.data, vars);
  } catch {
    return false;
  }
}

/** Runs `npm start` with this env until a signed-in home screen, then stops it; returns the timeline. */
async function measureStart(name, extraEnv) {
  const ports = { gateway: await freePort() };
  for (const s of SUBGRAPHS) ports[s] = await freePort();
  const env = { ...process.env, ...extraEnv, PORT: String(ports.gateway), LOG_FORMAT: 'json', LOG_LEVEL: 'info' };
  delete env.NODE_ENV;
  for (const s of SUBGRAPHS) {
    env[`${envPrefix(s)}_PORT`] = String(ports[s]);
    env[`${envPrefix(s)}_URL`] = `http://127.0.0.1:${ports[s]}/graphql`;
  }
  const url = `http://127.0.0.1:${ports.gateway}/graphql`;
  const started = Date.now();
  const at = (ms = Date.now()) => (ms - started) / 1000;
  const marks = {};
  const seeding = {};
  const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = [];
  const onLine = (line) => {
    tail.push(line);
    if (tail.length > 60) tail.shift();
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      entry = { msg: line };
    }
    const msg = String(entry.msg ?? '');
    const who = entry.component ?? 'start';
    if (/^build: /.test(msg)) marks.build ??= at();
    const ready = /ready at /.test(msg);
    if (ready) marks[`${who} ready`] ??= at();
    const seeded = /seeded the demo dataset in (\d+) ms/.exec(msg);
    if (seeded) seeding[who] = Number(seeded[1]) / 1000;
    if (/Streaming supergraph is up/.test(msg)) marks['banner (/health/ready 200)'] ??= at();
  };
  eachLine(child, onLine);
  let exited = false;
  const exit = new Promise((resolve) => child.on('exit', (code) => { exited = true; resolve(code); }));
  let firstAnswer;
  try {
    for (;;) {
      if (exited) throw new Error(`${name}: npm start exited:\n${tail.join('\n')}`);
      if (Date.now() - started > TIMEOUT_MS) throw new Error(`${name}: no signed-in home screen after ${TIMEOUT_MS / 1000} s:\n${tail.join('\n')}`);
      const t = Date.now();
      if (await signedInHomeScreen(url)) {
        marks['signed-in home screen'] = at();
        break;
      }
      // The gateway answered (fallback rows, a 503 from a subgraph...) but not yet completely.
      if (firstAnswer === undefined) {
        const probe = await fetch(url.replace(/graphql$/, 'health/live')).then((r) => r.status, () => undefined);
        if (probe === 200) firstAnswer = marks['gateway live'] = at();
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 200 - (Date.now() - t))));
    }
  } finally {
    try {
      process.kill(-child.pid, 'SIGINT');
    } catch {
      /* gone */
    }
    const stop = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 20_000);
    await exit;
    clearTimeout(stop);
  }
  return { name, marks, seeding };
}

async function dropDatabases(prefix) {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  for (const s of SUBGRAPHS) await client.query(`DROP DATABASE IF EXISTS "${prefix}_${s.replace(/-/g, '_')}" WITH (FORCE)`);
  await client.end();
}

async function dropRedisKeys(prefix) {
  const { deleteKeysWithPrefix } = require(path.join(ROOT, 'packages/platform/dist/cache/deleteKeysWithPrefix.js'));
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
}

const results = [];
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'startup-data-'));
const dbPrefix = `startup_${runId}`;
try {
  if (cases.includes('first')) {
    removeBuildOutputs();
    results.push(await measureStart('first start after npm install (embedded)', { DATA_DIR: dataDir }));
  }
  if (cases.includes('restart')) {
    // Restart needs a seeded store: seed it first if `first` didn't.
    if (!cases.includes('first')) await measureStart('seeding for restart', { DATA_DIR: dataDir });
    results.push(await measureStart('restart (embedded, built and seeded)', { DATA_DIR: dataDir }));
  }
  if (cases.includes('postgres')) {
    const pgEnv = { POSTGRES_URL, REDIS_URL, SEED_IF_EMPTY: 'true', DATABASE_PREFIX: dbPrefix, CACHE_KEY_PREFIX: `${dbPrefix}:`, DATA_DIR: dataDir };
    try {
      results.push(await measureStart('first start on Postgres and Redis (seeding)', pgEnv));
      results.push(await measureStart('restart on Postgres and Redis (seeded)', pgEnv));
    } finally {
      await dropDatabases(dbPrefix).catch((err) => console.error(`dropping ${dbPrefix}_*: ${err.message}`));
      await dropRedisKeys(`${dbPrefix}:`).catch((err) => console.error(`Redis keys ${dbPrefix}:*: ${err.message}`));
    }
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

console.log(`\nnpm start to a signed-in home screen (${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}):\n`);
for (const r of results) {
  console.log(`${r.name}: ${r.marks['signed-in home screen'].toFixed(1)} s`);
  for (const [mark, s] of Object.entries(r.marks).sort((a, b) => a[1] - b[1])) console.log(`  ${s.toFixed(1).padStart(6)} s  ${mark}`);
  for (const [who, s] of Object.entries(r.seeding)) console.log(`          ${who} seeded in ${s.toFixed(1)} s`);
}
