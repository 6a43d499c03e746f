#!/usr/bin/env node
// `npm run bench [-- --quick]`: the four subgraphs on Postgres and Redis, then one gateway at a
// time (ours, stock Apollo Gateway, Hive Gateway, Hive Gateway on Hive Router's runtime) over the
// same subgraphs and supergraph, each driven by autocannon per scenario, in two modes: full stack
// (the real subgraphs answer) and gateway only (a replay server answers each fetch with the bytes
// the real subgraph gave for it). See bench/README.md for the method.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import pg from 'pg';
import { runLoad, checkResponse } from './lib/load.mjs';
import { pools, readScenarios, writeScenario, loadOperation } from './lib/scenarios.mjs';
import {
  BENCH_DIR, ROOT, cpuMs, cpuPlan, freePort, machine, peakRss, resetPeak, spawned, startProcess, stopProcess,
} from './lib/system.mjs';
import { renderMarkdown, renderTable, summarize } from './lib/report.mjs';
import { createBenchAuth } from './lib/auth.mjs';
import { commandStats, startOwnRedis } from './lib/ownRedis.mjs';
import { wireBytes } from './lib/wireBytes.mjs';

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------- options
// Every option is declared here: an unknown or misspelt one fails rather than being ignored.
const { values: args } = parseArgs({
  options: Object.fromEntries([
    ...['help', 'quick', 'drop-databases', 'no-readme', 'no-pin', 'verbose'].map((name) => [name, { type: 'boolean' }]),
    ...['mode', 'duration', 'warmup', 'connections', 'reps', 'gateways', 'scenarios', 'warm-profiles', 'seed-scale', 'db-prefix', 'out', 'cpu-prof']
      .map((name) => [name, { type: 'string' }]),
  ]),
});
if (args.help) {
  console.log(`npm run bench -- [options]
  --quick                 a few minutes: 2 s runs, 10 connections, 1 repetition
  --mode <list>           full-stack, gateway-only, or both (default): gateway-only replaces the
                          subgraphs by a replay of their recorded answers, so only the gateway works
  --duration <s>          seconds per measured run (default 10; quick 2)
  --warmup <s>            seconds of warm-up per scenario (default 5; quick 1)
  --connections <list>    e.g. 1,10,50 (default; quick 10)
  --reps <n>              repetitions per cell (default 3; quick 1)
  --gateways <list>       ours,stock,hive,hive-router-runtime (default); also ours-2-workers (GATEWAY_WORKERS=2, on
                          every core), ours-stock-executor (GATEWAY_EXECUTOR=stock), ours-own-executor
                          (GATEWAY_EXECUTOR=ours), ours-no-entity-cache,
                          ours-no-gateway-auth, ours-no-limits, ours-telemetry-off (no metrics), ours-tracing (metrics +
                          every request traced, spans dropped), ours-gzip and ours-br (the load asks for gzip or
                          Brotli: what compression costs under load; bodies are then only checked for status 200),
                          ours-promise-hooks (an AsyncLocalStorage in use, as the gateway had until 2026-12-06),
                          ours-heap-growth-<factor> (GATEWAY_HEAP_GROWTH=<factor>, e.g. ours-heap-growth-3),
                          ours-concurrency-<value> (GATEWAY_CONCURRENCY=<value>: off, adaptive or a number)
  --scenarios <list>      home-10x20-cold,home-10x20-warm,home-40x48-warm,title-details,profile-picker,write-mix
                          (gateway-only runs the warm reads only: cold and write-mix need real subgraphs)
  --warm-profiles <n>     profiles the warm scenarios rotate over (default 300; quick 20)
  --seed-scale <n>        dataset size (default 1)
  --db-prefix <name>      database prefix (default bench_s<scale>; seeded once, reused)
  --drop-databases        drop the bench databases afterwards
  --out <dir>             where results go (default bench/results; quick runs: bench/results/quick)
  --no-readme             don't update bench/README.md (full runs do by default)
  --no-pin                don't pin with taskset
  --cpu-prof <gateway|subgraph>  run that gateway (or subgraph, by name) with --cpu-prof (profiles in bench/profiles)
  --verbose               relay process output`);
  process.exit(0);
}
const quick = Boolean(args.quick);
const MODES = ['full-stack', 'gateway-only'];
const modes = !args.mode || args.mode === 'both' ? MODES : String(args.mode).split(',');
for (const m of modes) if (!MODES.includes(m)) throw new Error(`--mode: unknown mode ${m} (full-stack, gateway-only or both)`);
const opts = {
  quick,
  modes,
  duration: Number(args.duration ?? (quick ? 2 : 10)),
  warmup: Number(args.warmup ?? (quick ? 1 : 5)),
  connections: String(args.connections ?? (quick ? '10' : '1,10,50')).split(',').map(Number),
  reps: Number(args.reps ?? (quick ? 1 : 3)),
  gateways: String(args.gateways ?? 'ours,stock,hive,hive-router-runtime').split(','),
  scenarios: args.scenarios ? String(args.scenarios).split(',') : undefined,
  seedScale: Number(args['seed-scale'] ?? 1),
  warmProfiles: Number(args['warm-profiles'] ?? (quick ? 20 : 300)),
  pin: !args['no-pin'],
  verbose: Boolean(args.verbose),
  cpuProf: args['cpu-prof'] ? String(args['cpu-prof']) : undefined,
};
opts.dbPrefix = String(args['db-prefix'] ?? `bench_s${String(opts.seedScale).replace('.', '_')}`);
opts.outDir = path.resolve(String(args.out ?? path.join(BENCH_DIR, 'results', quick ? 'quick' : '')));
opts.updateReadme = !quick && !args['no-readme'] && !args.out;
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
// Without BENCH_REDIS_URL the bench starts a redis-server of its own (main()), so that INFO
// commandstats counts only this stack's commands.
let REDIS_URL = process.env.BENCH_REDIS_URL;
let ownRedis;
const runId = `${Date.now().toString(36)}`;
const keyPrefix = `bench:${runId}:`;
const log = (...a) => console.log(...a);
// The children log at info ("ready at" is how the bench sees them up); the shared logger goes
// silent under jest, so the CI test's children must not inherit JEST_WORKER_ID.
const baseEnv = { ...process.env, LOG_LEVEL: 'info' };
delete baseEnv.JEST_WORKER_ID;

const GATEWAY_LABELS = {
  ours: 'ours', 'ours-2-workers': 'ours with 2 workers (GATEWAY_WORKERS=2, every core)',
  'ours-stock-executor': "ours on stock's executor (GATEWAY_EXECUTOR=stock)", 'ours-own-executor': 'ours on our executor (GATEWAY_EXECUTOR=ours)', 'ours-no-entity-cache': 'ours without its entity cache',
  'ours-no-gateway-auth': 'ours without token checks in the gateway', 'ours-no-limits': 'ours without demand control',
  'ours-telemetry-off': 'ours without metrics', 'ours-gzip': 'ours, answers gzipped (Accept-Encoding: gzip)', 'ours-br': 'ours, answers in Brotli (Accept-Encoding: br)', 'ours-tracing': 'ours with metrics and 100% tracing', 'ours-promise-hooks': 'ours with promise hooks on (an AsyncLocalStorage in use)', stock: 'stock Apollo Gateway', hive: 'Hive Gateway',
  'hive-router-runtime': "Hive Gateway on Hive Router's runtime (Rust planner, TypeScript executor)" };

for (const f of ['gateway/dist/index.js', 'gateway/dist/composeSupergraph.js', 'packages/demo-data/dist/generateDataset.js', 'packages/platform/dist/index.js']) {
  if (!existsSync(path.join(ROOT, f))) {
    console.error(`bench: ${f} is missing; run \`npm run build\` first (npm run bench does).`);
    process.exit(2);
  }
}
const { composeSupergraph } = require('../gateway/dist/composeSupergraph.js');
const { generateDataset } = require('../packages/demo-data/dist/generateDataset.js');
const { envPrefix, databaseName } = require('../packages/platform/dist/config.js');
const { cacheNamespace } = require('../packages/platform/dist/cache/createCache.js');
const { deleteKeysWithPrefix } = require('../packages/platform/dist/cache/deleteKeysWithPrefix.js');
const SUBGRAPHS = ['profile', 'catalog', 'playback-session', 'recommendation'];

// ---------------------------------------------------------------- pinning
const plan = cpuPlan(opts.pin);
if (plan.pinned) {
  // The load generator (this process) on its own core; children get explicit CPU lists.
  execFileSync('taskset', ['-cp', plan.loadGenerator, String(process.pid)], { stdio: 'ignore' });
}

// ---------------------------------------------------------------- subgraphs
const running = { subgraphs: {}, gateways: new Set(), replay: undefined };
let redis;
let auth; // createBenchAuth(): keys for every process, a token per account for every request

async function startSubgraphs() {
  const ports = {};
  for (const name of SUBGRAPHS) ports[name] = await freePort();
  const urls = Object.fromEntries(SUBGRAPHS.map((n) => [n, `http://127.0.0.1:${ports[n]}/graphql`]));
  const env = {
    ...baseEnv,
    NODE_ENV: 'production',
    POSTGRES_URL,
    DATABASE_PREFIX: opts.dbPrefix,
    REDIS_URL,
    CACHE_KEY_PREFIX: keyPrefix,
    SEED_IF_EMPTY: 'true',
    SEED_SCALE: String(opts.seedScale),
    ...auth.env,
    // playback-session and recommendation refuse their development signing secrets in production.
    MANIFEST_SIGNING_SECRET: process.env.MANIFEST_SIGNING_SECRET || `bench-${runId}-${Math.random().toString(36).slice(2)}`,
    CURSOR_SIGNING_SECRET: process.env.CURSOR_SIGNING_SECRET || `bench-cursor-${runId}-${Math.random().toString(36).slice(2)}`,
  };
  for (const n of SUBGRAPHS) {
    env[`${envPrefix(n)}_PORT`] = String(ports[n]);
    env[`${envPrefix(n)}_URL`] = urls[n];
    delete env[`${envPrefix(n)}_DATABASE_URL`];
  }
  log(`starting subgraphs on ${opts.dbPrefix}_* (seeding on first use, scale ${opts.seedScale}) and Redis prefix ${keyPrefix}`);
  const started = Date.now();
  await Promise.all(SUBGRAPHS.map(async (name) => {
    running.subgraphs[name] = await startProcess({
      name,
      // `--cpu-prof <subgraph>` profiles a subgraph as it does a gateway.
      args: [...(opts.cpuProf === name ? ['--cpu-prof', '--cpu-prof-dir', path.join(BENCH_DIR, 'profiles')] : []),
        '-r', path.join(BENCH_DIR, 'lib/probe.cjs'), `subgraphs/${name}/dist/index.js`],
      env,
      cpus: plan.pinned ? plan.others : undefined,
      ready: /ready at /,
      ipc: true,
      timeoutMs: 600_000,
      log: opts.verbose ? log : () => {},
    });
  }));
  log(`subgraphs up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return urls;
}

let counterSeq = 0;
function readCounters(proc) {
  return new Promise((resolve, reject) => {
    const id = ++counterSeq;
    // Generous: a subgraph answers between requests, and on a loaded machine (the bench's own
    // test beside the suite) its event loop can be seconds behind.
    const timer = setTimeout(() => reject(new Error(`${proc.name}: no counters within 30 s`)), 30_000);
    const onMessage = (m) => {
      if (m?.type === 'bench:counters' && m.id === id) {
        clearTimeout(timer);
        proc.child.off('message', onMessage);
        // The replay's last forwarded fetches (replayServer.mjs): what a measured run's misses were.
        if (m.forwarded) proc.forwardedLately = m.forwarded;
        resolve(m.counters);
      }
    };
    proc.child.on('message', onMessage);
    proc.child.send({ type: 'bench:counters', id });
  });
}

async function snapshot() {
  const out = {};
  for (const [name, proc] of Object.entries(running.subgraphs)) out[name] = await readCounters(proc);
  return out;
}

/** The replay server's counters per subgraph ({} without one). */
const replaySnapshot = async () => (running.replay ? readCounters(running.replay) : {});

/**
 * The gateway-only mode's subgraphs: bench/lib/replayServer.mjs, one port per subgraph, recording
 * what the real ones answer and replaying it. On the load generator's core, so that the gateway
 * has its own to itself. Returns the URLs the gateway is to dial.
 */
async function startReplay(realUrls) {
  const ports = {};
  for (const name of SUBGRAPHS) ports[name] = await freePort();
  running.replay = await startProcess({
    name: 'replay',
    args: [path.join(BENCH_DIR, 'lib/replayServer.mjs')],
    env: { ...baseEnv, REPLAY_UPSTREAMS: JSON.stringify(realUrls), REPLAY_PORTS: JSON.stringify(ports) },
    cpus: plan.pinned ? plan.loadGenerator : undefined,
    ready: /replay ready at /,
    ipc: true,
    log: opts.verbose ? log : () => {},
  });
  return Object.fromEntries(SUBGRAPHS.map((n) => [n, `http://127.0.0.1:${ports[n]}/graphql`]));
}

function delta(before, after) {
  const out = {};
  for (const name of Object.keys(after)) {
    out[name] = {};
    for (const k of Object.keys(after[name])) out[name][k] = after[name][k] - (before[name]?.[k] ?? 0);
  }
  return out;
}

// Cache entries only (the cache's namespace): playback sessions and the event stream live under
// the same run prefix, and deleting them would end live sessions and break event consumers.
const flushCache = () => deleteKeysWithPrefix(redis, cacheNamespace(keyPrefix));
const dropRunKeys = () => deleteKeysWithPrefix(redis, keyPrefix);

// ---------------------------------------------------------------- gateways
async function startGateway(kind, supergraphPath, urls) {
  const port = await freePort();
  const env = {
    ...baseEnv, ...auth.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', SUPERGRAPH_PATH: supergraphPath,
    // The admin listener (/metrics) on a free port: several gateways may run at once.
    METRICS_PORT: '0',
    REDIS_URL, CACHE_KEY_PREFIX: keyPrefix,
  };
  for (const n of SUBGRAPHS) env[`${envPrefix(n)}_URL`] = urls[n];
  const prof = opts.cpuProf === kind ? ['--cpu-prof', '--cpu-prof-dir', path.join(BENCH_DIR, 'profiles')] : [];
  let script;
  // The bench sends operation text from one address: trusted documents only log, and the rate
  // limit (still consulted on every request) is out of reach.
  // One worker, like every other gateway here (production would fork one per core).
  if (kind.startsWith('ours')) Object.assign(env, { TRUSTED_DOCUMENTS: 'log', RATE_LIMIT_REQUESTS: '1000000000', GATEWAY_WORKERS: '1' });
  let cpus = plan.pinned ? plan.gateway : undefined;
  if (kind === 'ours' || kind === 'ours-gzip' || kind === 'ours-br') script = ['gateway/dist/index.js'];
  else if (kind === 'ours-2-workers') {
    // What production runs on this machine: a worker per core, so it gets every core.
    env.GATEWAY_WORKERS = '2';
    cpus = plan.pinned ? plan.others : undefined;
    script = ['gateway/dist/index.js'];
  }
  else if (kind === 'ours-stock-executor' || kind === 'ours-own-executor') {
    // Each executor named, whichever is the default (ours, since issue 15's executor work).
    env.GATEWAY_EXECUTOR = kind === 'ours-stock-executor' ? 'stock' : 'ours';
    script = ['gateway/dist/index.js'];
  }
  else if (kind === 'ours-no-entity-cache') {
    // Ours with one optimisation off, to measure what it is worth in the same run.
    env.ENTITY_CACHE_SUBGRAPHS = '';
    script = ['gateway/dist/index.js'];
  }
  else if (kind === 'ours-no-gateway-auth') {
    // Ours with the gateway's own token check off (subgraphs still verify): what it costs.
    env.AUTH_GATEWAY_VERIFY = 'false';
    script = ['gateway/dist/index.js'];
  }
  else if (kind === 'ours-no-limits') {
    // Ours without cost, structural, string and rate limits: what demand control costs.
    env.GATEWAY_LIMITS = 'off';
    script = ['gateway/dist/index.js'];
  }
  else if (kind === 'ours-telemetry-off' || kind === 'ours-tracing') {
    // Telemetry's cost at the gateway, in the same run: `ours` has metrics on and tracing off.
    if (kind === 'ours-telemetry-off') env.METRICS = 'off';
    else Object.assign(env, { OTEL_TRACES_EXPORTER: 'discard', OTEL_TRACES_SAMPLER: 'always_on' });
    script = ['gateway/dist/index.js'];
  }
  else if (kind.startsWith('ours-heap-growth-')) {
    // Ours with V8's old generation held to a growth factor: what less memory costs in CPU.
    env.GATEWAY_HEAP_GROWTH = kind.slice('ours-heap-growth-'.length);
    script = ['gateway/dist/index.js'];
  }
  else if (kind.startsWith('ours-concurrency-')) {
    env.GATEWAY_CONCURRENCY = kind.slice('ours-concurrency-'.length);
    script = ['gateway/dist/index.js'];
  }
  else if (kind === 'ours-promise-hooks') script = ['--require', path.join(BENCH_DIR, 'lib/promiseHooks.cjs'), 'gateway/dist/index.js'];
  else if (kind === 'stock') script = [path.join(BENCH_DIR, 'gateways/stock-apollo.mjs')];
  else if (kind === 'hive' || kind === 'hive-router-runtime') {
    // One process like the others (its production default forks a worker per core).
    env.FORK = '1';
    script = [require.resolve('@graphql-hive/gateway/package.json').replace(/package\.json$/, 'dist/bin.js'), 'supergraph', supergraphPath,
      '--config-path', path.join(BENCH_DIR, kind === 'hive' ? 'gateways/hive.config.mjs' : 'gateways/hive-router-runtime.config.mjs')];
  } else throw new Error(`unknown gateway ${kind}`);
  const proc = await startProcess({
    name: kind,
    args: [...prof, ...script],
    env,
    cpus,
    // Ours says "ready at" once every worker serves; the others announce themselves variously.
    ready: kind.startsWith('ours') ? /ready at / : /ready at|Serving|listening|started/i,
    timeoutMs: 120_000,
    log: opts.verbose ? log : () => {},
  });
  proc.url = `http://127.0.0.1:${port}/graphql`;
  // Ready means it answers a real query.
  const text = loadOperation('ProfilePicker');
  for (let i = 0; ; i += 1) {
    try {
      const res = await fetch(proc.url, {
        method: 'POST', headers: { 'content-type': 'application/json', ...auth.headers({ accountId: 'demo-premium' }) },
        body: JSON.stringify({ query: text, variables: { accountId: 'demo-premium' } }),
      });
      const body = await res.text();
      if (!checkResponse(res.status, body)) break;
      if (i > 100) throw new Error(`${kind} answers but not correctly: ${body.slice(0, 300)}`);
    } catch (err) {
      if (i > 100) throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return proc;
}

async function post(url, query, variables, operationName) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...auth.headers(variables) }, body: JSON.stringify({ query, variables, operationName }) });
  return { status: res.status, body: await res.text() };
}

// ---------------------------------------------------------------- measuring
async function stopOpenSessions(gateway, scenario) {
  if (!scenario.open) return;
  for (const sessionId of [...scenario.open]) {
    await post(gateway.url, scenario.stopText, { sessionId }, 'StopPlayback').catch(() => undefined);
    scenario.open.delete(sessionId);
  }
}

function stepsFor(scenario) {
  if (scenario.write) return scenario.steps;
  const text = loadOperation(scenario.op);
  return [{ op: scenario.op, text, check: scenario.check, vars: ((list) => { let i = 0; return () => list[i++ % list.length]; })(scenario.variables) }];
}

/**
 * One measured run: load plus the gateway's CPU/RSS and the subgraphs' counters around it (in the
 * gateway-only mode, fetches and bytes are what the replay server served; SQL and Redis are what
 * the real subgraphs did for fetches the replay had to forward, which should be nothing).
 */
/** What the load sends with every request: the token, and for ours-gzip / ours-br the encoding it accepts. */
const ENCODINGS = { 'ours-gzip': 'gzip', 'ours-br': 'br' };
const loadHeaders = (kind) => (ENCODINGS[kind] ? (vars, ctx) => ({ ...auth.headers(vars, ctx), 'accept-encoding': ENCODINGS[kind] }) : auth.headers);

async function measure(gateway, steps, connections, duration, mode) {
  resetPeak(gateway.pid);
  for (const p of Object.values(running.subgraphs)) resetPeak(p.pid);
  const before = await snapshot();
  const replayBefore = await replaySnapshot();
  const cpuBefore = cpuMs(gateway.pid);
  const subgraphCpuBefore = Object.fromEntries(Object.entries(running.subgraphs).map(([name, p]) => [name, cpuMs(p.pid)]));
  const commandsBefore = ownRedis ? await commandStats(redis) : undefined;
  const load = await runLoad({ url: gateway.url, connections, duration, steps, headers: loadHeaders(gateway.name), compressed: Boolean(ENCODINGS[gateway.name]) });
  // Requests still in flight when the run stopped are finished by the gateway and subgraphs
  // anyway: let them drain, then count work per request *sent*.
  if (load.sent > load.completed) await new Promise((r) => setTimeout(r, Math.min(5000, Math.max(200, (load.p99 ?? 1000) * 1.5))));
  const cpuAfter = cpuMs(gateway.pid);
  const subgraphCpuAfter = Object.fromEntries(Object.entries(running.subgraphs).map(([name, p]) => [name, cpuMs(p.pid)]));
  const commandsAfter = ownRedis ? await commandStats(redis) : undefined;
  const d = delta(before, await snapshot());
  const n = Math.max(1, load.sent);
  // Redis commands the stack sent during the run (the bench's own INFO calls left out).
  const commands = commandsAfter && Object.fromEntries(Object.entries(commandsAfter)
    .filter(([name]) => name !== 'info')
    .map(([name, calls]) => [name, (calls - (commandsBefore[name] ?? 0)) / n])
    .filter(([, perRequest]) => perRequest > 0));
  const per = (k) => Object.fromEntries(Object.entries(d).map(([name, c]) => [name, c[k] / n]));
  const sum = (k) => Object.values(d).reduce((s, c) => s + c[k], 0);
  const hits = sum('redisHits');
  const misses = sum('redisMisses');
  const common = {
    ...load,
    cpuMsPerRequest: (cpuAfter - cpuBefore) / n,
    // Each subgraph process's CPU (user + system) per gateway request: the capacity model's input.
    subgraphCpuMsPerRequest: Object.fromEntries(Object.keys(subgraphCpuAfter).map((name) => [name, (subgraphCpuAfter[name] - subgraphCpuBefore[name]) / n])),
    subgraphPeakRssMB: Object.fromEntries(Object.entries(running.subgraphs).map(([name, p]) => [name, peakRss(p.pid) / 2 ** 20])),
    redisCommandsPerRequest: commands ? Object.values(commands).reduce((a, b) => a + b, 0) : null,
    redisCommandsByName: commands ?? null,
    peakRssMB: peakRss(gateway.pid) / 2 ** 20,
    sqlPerRequest: per('sql'),
    sqlPerRequestTotal: sum('sql') / n,
    internalFetchesPerRequest: sum('outgoing') / n,
    redisHitRatio: hits + misses ? hits / (hits + misses) : null,
    redisReadsPerRequest: (hits + misses) / n,
  };
  if (mode !== 'gateway-only') {
    return {
      ...common,
      subgraphFetchesPerRequest: (sum('requests') - sum('outgoing')) / n,
      subgraphFetchesBySubgraph: per('requests'),
      subgraphBytesPerRequest: sum('bytesOut') / n,
    };
  }
  const r = delta(replayBefore, await replaySnapshot());
  const replaySum = (k) => Object.values(r).reduce((s, c) => s + c[k], 0);
  return {
    ...common,
    subgraphFetchesPerRequest: replaySum('requests') / n,
    subgraphFetchesBySubgraph: Object.fromEntries(Object.entries(r).map(([name, c]) => [name, c.requests / n])),
    subgraphBytesPerRequest: replaySum('bytesOut') / n,
    replayMissesPerRequest: replaySum('forwarded') / n,
    replayMissSamples: (running.replay.forwardedLately ?? [])
      .filter((f) => f.n > (replayBefore[f.subgraph]?.forwarded ?? 0))
      .map((f) => `${f.subgraph}: ${f.fetch}`),
    replayComposedPerRequest: replaySum('composed') / n,
  };
}

/** SQL per HomeScreen, per subgraph, cache flushed, one request at a time for unseen profiles. */
async function sqlPerHomeScreen(gateway, profiles, offset) {
  const text = loadOperation('HomeScreen');
  const out = {};
  let k = offset;
  for (const [rows, itemsPerRow] of [[10, 20], [40, 48]]) {
    await flushCache();
    await post(gateway.url, text, { profileId: profiles[k++ % profiles.length], rows, itemsPerRow }, 'HomeScreen');
    const before = await snapshot();
    const count = opts.quick ? 2 : 5;
    let errors = 0;
    for (let i = 0; i < count; i += 1) {
      const vars = { profileId: profiles[k++ % profiles.length], rows, itemsPerRow };
      const r = await post(gateway.url, text, vars, 'HomeScreen');
      if (checkResponse(r.status, r.body, (await import('./lib/scenarios.mjs')).checkHomeScreen, vars)) errors += 1;
    }
    const d = delta(before, await snapshot());
    out[`${rows}x${itemsPerRow}`] = {
      errors,
      sql: Object.fromEntries(Object.entries(d).map(([name, c]) => [name, c.sql / count])),
      fetches: Object.values(d).reduce((s, c) => s + c.requests - c.outgoing, 0) / count,
    };
  }
  return out;
}

/**
 * The same fixed requests through every gateway must give the same JSON: the first answer to
 * each is the reference.
 */
async function consistency(gatewayKind, gateway, scenarios) {
  const mismatches = [];
  for (const s of scenarios) {
    if (s.write) continue;
    const text = loadOperation(s.op);
    const ask = async (url, vars) => {
      const r = await post(url, text, vars, s.op);
      const problem = checkResponse(r.status, r.body, s.check, vars);
      return problem ? { problem } : { canonical: JSON.stringify(JSON.parse(r.body).data) };
    };
    for (const vars of s.variables.slice(0, 3)) {
      const answer = await ask(gateway.url, vars);
      if (answer.problem) { mismatches.push(`${s.name} ${JSON.stringify(vars)}: ${answer.problem}`); continue; }
      const key = `${s.name}:${JSON.stringify(vars)}`;
      const reference = references.get(key);
      if (!reference) {
        references.set(key, { gateway: gatewayKind, process: gateway, canonical: answer.canonical });
        continue;
      }
      if (reference.canonical === answer.canonical) continue;
      // The data may have moved since the reference was taken (recommendation ranks from what its
      // read model has by then): where the reference's gateway still runs, both are asked again,
      // one right after the other, and only a difference then counts.
      const again = running.gateways.has(reference.process) ? [await ask(reference.process.url, vars), await ask(gateway.url, vars)] : [reference, answer];
      if (again[0].canonical !== undefined && again[0].canonical === again[1].canonical) continue;
      const [a, b] = again.map((x) => (x.canonical === undefined ? x.problem : JSON.parse(x.canonical)));
      mismatches.push(`${s.name} ${JSON.stringify(vars)}: differs from ${reference.gateway} ${firstDifference(a, b)}`);
    }
  }
  return mismatches;
}

const references = new Map();

/** Where two answers first differ, as a path and the two values there (so a mismatch says what to look at). */
function firstDifference(a, b, path = 'data') {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const found = firstDifference(a[k], b[k], `${path}.${k}`);
      if (found) return found;
    }
    return '';
  }
  return JSON.stringify(a) === JSON.stringify(b) ? '' : `at ${path}: ${JSON.stringify(a)?.slice(0, 120)} against ${JSON.stringify(b)?.slice(0, 120)}`;
}

// ---------------------------------------------------------------- main
async function main() {
  const startedAt = new Date();
  if (!REDIS_URL) {
    ownRedis = await startOwnRedis();
    REDIS_URL = ownRedis.url;
    log(`Redis: the bench's own redis-server at ${REDIS_URL} (commands counted with INFO commandstats)`);
  }
  redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  auth = await createBenchAuth(generateDataset({ scale: opts.seedScale }));
  const urls = await startSubgraphs();
  const supergraphSdl = composeSupergraph(urls);
  mkdirSync(opts.outDir, { recursive: true });
  const supergraphPath = path.join(os.tmpdir(), `bench-supergraph-${runId}.graphql`);
  writeFileSync(supergraphPath, supergraphSdl);

  const dataset = generateDataset({ scale: opts.seedScale });
  const p = pools(dataset, opts.warmProfiles);
  let scenarios = readScenarios(p, { quick });
  const write = writeScenario(supergraphSdl, p);
  const skipped = {};
  if (write.skip) skipped['write-mix'] = write.skip;
  else scenarios.push(write);
  if (opts.scenarios) {
    for (const name of opts.scenarios) if (!scenarios.some((s) => s.name === name) && !skipped[name]) throw new Error(`unknown scenario ${name}`);
    scenarios = scenarios.filter((s) => opts.scenarios.includes(s.name));
    for (const k of Object.keys(skipped)) if (!opts.scenarios.includes(k)) delete skipped[k];
  }
  if (skipped['write-mix']) log(`write-mix skipped: ${skipped['write-mix']}`);

  const cells = [];
  const perGateway = {};
  let wire;
  let coldOffset = 0;
  // Gateway-only: the same gateways over a replay of the subgraphs' answers (warm reads only: a
  // cold run needs subgraphs that miss, and a replayed mutation would be a lie).
  const replayUrls = opts.modes.includes('gateway-only') ? await startReplay(urls) : undefined;
  const replaySupergraphPath = path.join(os.tmpdir(), `bench-supergraph-${runId}-replay.graphql`);
  if (replayUrls) writeFileSync(replaySupergraphPath, composeSupergraph(replayUrls));
  const gatewayOnly = scenarios.filter((s) => !s.write && !s.cold);
  if (replayUrls && scenarios.length > gatewayOnly.length) {
    log(`gateway-only runs ${gatewayOnly.map((s) => s.name).join(', ') || 'nothing of the scenarios asked'} (not ${scenarios.filter((s) => !gatewayOnly.includes(s)).map((s) => s.name).join(', ')})`);
  }
  // Reads first for every mode and gateway, then writes (they change what later reads would return).
  const runs = [];
  for (const mode of opts.modes) {
    const reads = mode === 'gateway-only' ? gatewayOnly : scenarios.filter((s) => !s.write);
    if (reads.length) runs.push({ mode, phase: reads });
  }
  if (opts.modes.includes('full-stack') && scenarios.some((s) => s.write)) runs.push({ mode: 'full-stack', phase: scenarios.filter((s) => s.write) });
  for (const { mode, phase } of runs) {
    const replayed = mode === 'gateway-only';
    // Every gateway of the run up at once, and each repetition going round them: this machine's
    // speed drifts by more than the differences measured (the same build, 314 and 422 req/s
    // minutes apart), and one gateway's repetitions back to back would put a slow phase on it
    // alone. Round the gateways, a slow phase lands on each of them.
    const up = [];
    try {
      for (const kind of opts.gateways) {
        log(`\n== ${GATEWAY_LABELS[kind] ?? kind} (${mode}): starting`);
        const gateway = replayed ? await startGateway(kind, replaySupergraphPath, replayUrls) : await startGateway(kind, supergraphPath, urls);
        running.gateways.add(gateway);
        up.push({ kind, gateway });
        const info = (perGateway[kind] ??= { consistencyErrors: [] });
        if (!phase[0].write) {
          const problems = await consistency(kind, gateway, phase);
          info.consistencyErrors.push(...problems.map((x) => (replayed ? `gateway-only: ${x}` : x)));
          if (problems.length) log(`  consistency: ${problems.length} problem(s), e.g. ${problems[0]}`);
          if (!replayed) info.sqlPerHomeScreen = await sqlPerHomeScreen(gateway, p.coldProfiles, p.coldProfiles.length - 40);
          // Bytes per scenario and compression's CPU, once per run, through the first of ours.
          if (!replayed && kind.startsWith('ours') && !wire) wire = await wireBytes(gateway.url, phase, auth.headers, loadOperation);
        }
      }
      for (const s of phase) {
        log(`\n== ${s.name} (${mode})`);
        const rounds = up.map(({ kind, gateway }) => ({ kind, gateway, steps: stepsFor(s), encoded: { headers: loadHeaders(kind), compressed: Boolean(ENCODINGS[kind]) } }));
        // Every rotation entry once (in the gateway-only mode, this pass records what the replay
        // will answer); cold runs are meant to miss, and writes have no rotation.
        const rotation = ({ gateway, steps, encoded }) => (!s.write && s.variables.length && !s.cold
          ? runLoad({ url: gateway.url, connections: Math.min(10, s.variables.length), amount: s.variables.length, steps, ...encoded })
          : undefined);
        // Warm-up: the rotation, then the warm-up time (caches, JIT, plan cache).
        for (const g of rounds) {
          await rotation(g);
          if (opts.warmup > 0) await runLoad({ url: g.gateway.url, connections: 10, duration: opts.warmup, steps: g.steps, ...g.encoded });
          await stopOpenSessions(g.gateway, s);
        }
        for (const connections of opts.connections) {
          const reps = rounds.map(() => []);
          for (let r = 0; r < opts.reps; r += 1) {
            for (const [i, round] of rounds.entries()) {
              const { kind, gateway, steps } = round;
              // The others ran since this gateway's last run, for longer than its cached entities
              // live (ENTITY_CACHE_TTL_SECONDS, 30 s): once round the rotation again, as every
              // gateway gets before every run.
              await rotation(round);
              if (s.cold) {
                await flushCache();
                // Unseen profiles every run: start where the last cold run stopped.
                const list = s.variables;
                const start = coldOffset;
                steps[0].vars = (() => { let n = start; return () => list[n++ % list.length]; })();
              }
              const m = await measure(gateway, steps, connections, opts.duration, mode);
              await stopOpenSessions(gateway, s);
              if (s.cold) coldOffset += m.completed + 10;
              reps[i].push(m);
              const misses = replayed ? `, replay misses ${m.replayMissesPerRequest.toFixed(3)}/req${m.replayMissSamples.length ? ` (${m.replayMissSamples.slice(0, 3).join(' | ')})` : ''}` : '';
              log(`  ${kind.padEnd(19)} c=${String(connections).padStart(2)} rep ${r + 1}: ${m.rps.toFixed(1)} req/s, p99 ${m.p99?.toFixed(1)} ms, ${m.cpuMsPerRequest.toFixed(2)} CPU ms/req${misses}, ${m.errors} errors${m.errors ? ` ${JSON.stringify(m.errorSamples).slice(0, 300)}` : ''}`);
            }
          }
          rounds.forEach(({ kind }, i) => cells.push({ mode, gateway: kind, scenario: s.name, connections, reps: reps[i] }));
        }
      }
    } finally {
      for (const { gateway } of up) {
        await stopProcess(gateway);
        running.gateways.delete(gateway);
      }
    }
  }

  const result = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: { ...machine(), pinning: plan, postgres: await postgresVersion() },
    options: opts,
    // Repetitions taken round the gateways (runs before 2026-12-07 took one gateway at a time).
    interleaved: true,
    gateways: opts.gateways.map((k) => ({ key: k, label: GATEWAY_LABELS[k] ?? k })),
    skipped,
    perGateway,
    wireBytes: wire ?? null,
    cells: cells.map((c) => ({ ...c, summary: summarize(c.reps) })),
  };
  const stamp = startedAt.toISOString().replace(/:/g, '-').replace(/\..*/, '');
  const jsonPath = path.join(opts.outDir, `${stamp}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  const markdown = renderMarkdown(result);
  const mdPath = path.join(opts.outDir, `${stamp}.md`);
  writeFileSync(mdPath, markdown);
  console.log(`\n${renderTable(result)}`);
  console.log(`\nwrote ${path.relative(process.cwd(), jsonPath)} and ${path.relative(process.cwd(), mdPath)}`);
  if (opts.updateReadme) updateReadme(markdown);
  const totalErrors = result.cells.reduce((s, c) => s + c.summary.errors, 0) + Object.values(perGateway).reduce((s, g) => s + g.consistencyErrors.length, 0);
  return totalErrors;
}

async function postgresVersion() {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  try {
    await client.connect();
    const r = await client.query('SHOW server_version');
    return r.rows[0].server_version;
  } catch {
    return 'unknown';
  } finally {
    await client.end().catch(() => undefined);
  }
}

function updateReadme(markdown) {
  const file = path.join(BENCH_DIR, 'README.md');
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  const start = '<!-- bench:latest:start -->';
  const end = '<!-- bench:latest:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < 0) return;
  writeFileSync(file, `${text.slice(0, a + start.length)}\n${markdown}\n${text.slice(b)}`);
  console.log('updated bench/README.md');
}

async function cleanup() {
  for (const gateway of running.gateways) await stopProcess(gateway).catch(() => undefined);
  await stopProcess(running.replay).catch(() => undefined);
  await Promise.all([...spawned].map((s) => stopProcess(s).catch(() => undefined)));
  if (redis) {
    await dropRunKeys().catch(() => undefined);
    redis.disconnect();
  }
  if (ownRedis) await ownRedis.stop().catch(() => undefined);
  if (args['drop-databases']) {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    for (const n of SUBGRAPHS) await client.query(`DROP DATABASE IF EXISTS "${databaseName(n, opts.dbPrefix)}" WITH (FORCE)`);
    await client.end();
  }
}

let exitCode = 0;
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { cleanup().finally(() => process.exit(130)); });
try {
  const errors = await main();
  if (errors) {
    console.log(`\n${errors} error(s) in responses (see the table and the JSON); exit code 3`);
    exitCode = 3;
  }
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
