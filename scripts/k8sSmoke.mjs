#!/usr/bin/env node
// `node scripts/k8sSmoke.mjs [--contract] [--drop VAR | --drop name:VAR]... [--verbose]`: deploy/'s
// workloads as local processes (CI has no cluster), proving that the environment each manifest
// sets is what its process needs to start in production:
//   1. the Secrets the README says to create: streaming-keys from `npm run --silent auth:keys`,
//      streaming-database with this machine's Postgres and Redis;
//   2. every migration Job's command with the Job's environment (secretKeyRef resolved), under
//      database names of this run: each must exit 0;
//   3. every Deployment's command with its container's environment over the Dockerfile's ENV
//      (nothing inherited from this shell), Service hostnames moved to 127.0.0.1 and free ports;
//      each must answer its readiness probe's path with 200 (a subgraph with MIGRATE_ON_START=false
//      is only ready if its Job did its work);
//   4. production behaviour through that gateway (an unregistered document refused; each subgraph
//      refusing a direct call without the internal credential), and with --contract (which adds
//      SEED_IF_EMPTY=true, as the manifests seed nothing) every operation in operations/.
// Exit 0 when all of it held, 1 otherwise; cleans up its databases and keys either way.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import pg from 'pg';
import { freePort, startProcess, stopProcess } from '../bench/lib/system.mjs';
import { readImageDefaults } from './composeSmoke/composeServices.mjs';
import { localServices } from './composeSmoke/localServices.mjs';
import { runContract, runProductionChecks } from './composeSmoke/contractRun.mjs';
import { deleteKeysWithPrefix, ROOT } from './composeSmoke/platform.mjs';
import { readManifests } from './deploy/validateManifests.mjs';

const { values: opts } = parseArgs({
  options: {
    drop: { type: 'string', multiple: true, default: [] },
    contract: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});
const POSTGRES_URL = process.env.SMOKE_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.SMOKE_REDIS_URL || 'redis://127.0.0.1:6379';
const runId = `k${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const started = Date.now();
const log = (line) => console.log(`[k8s-smoke ${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
const running = [];

/** KEY='value' lines (auth:keys' output) as an object, quotes dropped as the README's sed does. */
function parseEnvLines(text) {
  return Object.fromEntries(text.split('\n').filter((l) => l.includes('=')).map((l) => {
    const i = l.indexOf('=');
    return [l.slice(0, i), l.slice(i + 1).replace(/^'(.*)'$/, '$1')];
  }));
}

/** A container's env with secretKeyRef resolved; a missing Secret key fails as the kubelet would. */
function containerEnv(workload, container, secrets) {
  const env = {};
  for (const e of container.env ?? []) {
    if (opts.drop.includes(e.name) || opts.drop.includes(`${workload}:${e.name}`)) continue;
    if (e.value !== undefined) env[e.name] = String(e.value);
    else if (e.valueFrom?.secretKeyRef) {
      const { name, key } = e.valueFrom.secretKeyRef;
      const value = secrets[name]?.[key];
      if (value === undefined) throw new Error(`${workload}: ${e.name} reads key ${key} of Secret ${name}, which the README's commands do not create`);
      env[e.name] = value;
    } else throw new Error(`${workload}: ${e.name} comes from something this check can't resolve`);
  }
  return env;
}

async function main() {
  const secrets = {
    'streaming-keys': parseEnvLines(execFileSync('npm', ['run', '--silent', 'auth:keys'], { cwd: ROOT, encoding: 'utf8' })),
    'streaming-database': { POSTGRES_URL, REDIS_URL },
  };
  const image = readImageDefaults(path.join(ROOT, 'Dockerfile'));
  const base = { PATH: process.env.PATH, HOME: process.env.HOME, ...image.env };
  const docs = readManifests(path.join(ROOT, 'deploy')).map((m) => m.doc);
  const deployments = docs.filter((d) => d.kind === 'Deployment');
  const jobs = docs.filter((d) => d.kind === 'Job');
  const names = deployments.map((d) => d.metadata.name);
  const ports = {};
  for (const n of names) ports[n] = await freePort();
  const backing = {};
  const added = { DATABASE_PREFIX: `smoke_${runId}`, CACHE_KEY_PREFIX: `smoke:${runId}:`, ...(opts.contract ? { SEED_IF_EMPTY: 'true' } : {}) };
  log(`added to each environment: ${Object.entries(added).map(([k, v]) => `${k}=${v}`).join(', ')}; Service hostnames -> 127.0.0.1 with free ports`);

  // 2. Migration Jobs, all of them, before any pod.
  for (const job of jobs) {
    const c = job.spec.template.spec.containers[0];
    const env = { ...base, ...containerEnv(job.metadata.name, c, secrets), ...added };
    const [program, ...args] = c.command;
    if (program !== 'node') throw new Error(`${job.metadata.name}: runs ${program}; only node entry points are run here`);
    const r = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`Job ${job.metadata.name} exited ${r.status}:\n${`${r.stdout}${r.stderr}`.split('\n').slice(-15).join('\n')}`);
    log(`Job ${job.metadata.name}: exit 0 (${r.stdout.trim().split('\n').pop()?.slice(0, 160)})`);
  }

  // 3. Deployments: subgraphs, then the gateway.
  const services = deployments.map((d) => {
    const c = d.spec.template.spec.containers[0];
    return { name: d.metadata.name, command: c.command, env: { ...base, ...containerEnv(d.metadata.name, c, secrets) }, probe: c.readinessProbe.httpGet.path };
  });
  const local = localServices(services, { ports, backing, runId, allServiceNames: names, drop: [] })
    .map((s) => ({ ...s, env: { ...s.env, ...added } }));
  const order = [...local.filter((s) => s.name !== 'gateway'), ...local.filter((s) => s.name === 'gateway')];
  for (const wave of [order.filter((s) => s.name !== 'gateway'), order.filter((s) => s.name === 'gateway')]) {
    await Promise.all(wave.map(async (s) => {
      const [, ...args] = s.command;
      const proc = await startProcess({ name: s.name, args, env: s.env, ready: /ready at /, timeoutMs: 600_000, log: opts.verbose ? console.log : () => {} })
        .catch((err) => { throw new Error(`Deployment ${s.name} did not start: ${err.message}`); });
      running.push(proc);
      await waitReady(s, proc);
      log(`Deployment ${s.name}: ${s.probe} 200 on :${s.localPort}`);
    }));
  }

  // 4. Production behaviour through the gateway.
  const gateway = local.find((s) => s.name === 'gateway');
  const gatewayUrl = `http://127.0.0.1:${gateway.localPort}/`;
  const failures = [];
  let signedOutToken;
  if (opts.contract) {
    const contract = await runContract(gatewayUrl, { root: ROOT, runId });
    for (const line of contract.lines) log(line);
    failures.push(...contract.failures);
    signedOutToken = contract.state.token;
  }
  const subgraphUrls = Object.fromEntries(local.filter((s) => s !== gateway).map((s) => [s.name, `http://127.0.0.1:${s.localPort}/graphql`]));
  const production = await runProductionChecks(gatewayUrl, { signedOutToken, subgraphUrls });
  if (production.length === 0) log(`ok   production: unregistered text refused, ${Object.keys(subgraphUrls).length} subgraphs refuse a direct call`);
  failures.push(...production);
  for (const p of running.filter((x) => x.exited)) failures.push(`${p.name} exited (${p.exitInfo}):\n${p.tail.join('\n')}`);
  if (failures.length) throw new Error(`production checks failed:\n- ${failures.join('\n- ')}`);
}

async function waitReady(service, proc) {
  let last = 'no answer';
  const t0 = Date.now();
  while (Date.now() - t0 < 120_000) {
    if (proc.exited) throw new Error(`${service.name} exited (${proc.exitInfo}) before it was ready:\n${proc.tail.join('\n')}`);
    try {
      const res = await fetch(`http://127.0.0.1:${service.localPort}${service.probe}`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `${res.status} ${(await res.text()).slice(0, 200)}`;
    } catch (err) {
      last = err.cause?.code ?? err.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${service.name}: ${service.probe} not 200 within 120 s; last: ${last}`);
}

async function cleanup() {
  for (const proc of running.reverse()) await stopProcess(proc, 10_000).catch(() => undefined);
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  try {
    await admin.connect();
    const { rows } = await admin.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`smoke\\_${runId}\\_%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } catch (err) {
    console.error(`[k8s-smoke] could not drop this run's databases: ${err.message}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await deleteKeysWithPrefix(redis, `smoke:${runId}:`);
  } catch (err) {
    console.error(`[k8s-smoke] could not delete this run's Redis keys: ${err.message}`);
  } finally {
    redis.disconnect();
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void cleanup().then(() => process.exit(130)));
let code = 0;
try {
  await main();
  log('passed: every Job and Deployment of deploy/ started from its own command and environment in production');
} catch (err) {
  console.error(`[k8s-smoke] FAILED: ${err.message}`);
  code = 1;
} finally {
  await cleanup();
}
process.exit(code);
