#!/usr/bin/env node
// `npm run chaos [-- --short]`: a Chaos Monkey that measures (issue 9). It starts its own stack
// (its own redis-server on a free port, the four subgraphs and the gateway as separate processes,
// databases chaos_<runid>_* on the shared Postgres, dropped afterwards), drives a steady mixed
// load through the gateway, injects one fault at a time (baseline window, fault, recovery window)
// and reports per fault what share of responses was complete, degraded or failed, 5xx, latency,
// recovery time and the issue's targets, then audits the data. See chaos/README.md.
//
// Exit code: 0 when the run completed, even if targets were missed (they are reported);
//   1 the harness itself broke (a process never came up, an exception, ...);
//   2 bad options or the build is missing;
//   3 the data audit failed (a lost final position, a doubled event, a stream over its plan's
//     limit) or there were HTTP 5xx responses or gateway crashes.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const CHAOS_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(CHAOS_DIR, '..');
const require = createRequire(import.meta.url);

// ---------------------------------------------------------------- faults
const FAULTS = {
  'kill-recommendation': { kind: 'kill', target: 'recommendation' },
  'kill-catalog': { kind: 'kill', target: 'catalog' },
  'kill-profile': { kind: 'kill', target: 'profile' },
  'kill-playback-session': { kind: 'kill', target: 'playback-session' },
  'freeze-recommendation': { kind: 'freeze', target: 'recommendation' },
  'freeze-catalog': { kind: 'freeze', target: 'catalog' },
  'latency-catalog': { kind: 'latency', target: 'catalog' },
  'drop-catalog': { kind: 'drop', target: 'catalog' },
  'redis-restart': { kind: 'redis', target: 'redis' },
  'pg-terminate-playback-session': { kind: 'pg', target: 'playback-session' },
  'pg-terminate-recommendation': { kind: 'pg', target: 'recommendation' },
  // --replicas 2 (issue 18): one of two instances killed, the other keeps serving.
  'kill-one-gateway': { kind: 'kill-one', target: 'gateway' },
  'kill-one-profile': { kind: 'kill-one', target: 'profile' },
  'kill-one-catalog': { kind: 'kill-one', target: 'catalog' },
  'kill-one-playback-session': { kind: 'kill-one', target: 'playback-session' },
  'kill-one-recommendation': { kind: 'kill-one', target: 'recommendation' },
};
const REPLICA_FAULTS = Object.keys(FAULTS).filter((n) => FAULTS[n].kind === 'kill-one');
// Faults that name the one process of a service: meaningless when it runs as several.
const SINGLE_ONLY = new Set(['kill', 'freeze']);
const SHORT = ['kill-recommendation', 'kill-catalog', 'redis-restart', 'pg-terminate-playback-session'];
const ADDED_LATENCY_MS = 2000;

// ---------------------------------------------------------------- options
let args;
try {
  ({ values: args } = parseArgs({
    options: {
      help: { type: 'boolean' },
      short: { type: 'boolean' },
      verbose: { type: 'boolean' },
      faults: { type: 'string' },
      baseline: { type: 'string' },
      fault: { type: 'string' },
      recovery: { type: 'string' },
      replicas: { type: 'string' },
      out: { type: 'string' },
    },
  }));
} catch (err) {
  console.error(`chaos: ${err.message} (see --help)`);
  process.exit(2);
}
if (args.help) {
  console.log(`npm run chaos -- [options]
  (default)            every single-instance fault: ${Object.keys(FAULTS).filter((n) => !REPLICA_FAULTS.includes(n)).join(', ')}
                       10 s baseline, 10 s fault, 20 s recovery each (about 8-9 minutes)
  --replicas 2         two gateways and two instances of each subgraph, each service behind a
                       round-robin TCP balancer; default faults then: ${REPLICA_FAULTS.join(', ')}
                       (one instance killed in turn, restarted after the fault; redis, pg-*, latency-
                       and drop-catalog also run in this mode; kill-<x> and freeze-<x> don't)
  --short              CI subset: ${SHORT.join(', ')}; 3 s baseline, 8 s fault, 8 s recovery (about 2 minutes)
  --faults <list>      run these faults (comma-separated names from the list above)
  --baseline <s>       seconds of load before each fault
  --fault <s>          seconds each fault lasts (a killed subgraph is restarted after it; a frozen one thawed)
  --recovery <s>       seconds of load after each fault ends
  --out <dir>          where <timestamp>.json and .md go (default chaos/results; --short: chaos/results/ci, gitignored)
  --verbose            relay the processes' output
Exit code: 0 run completed (missed targets are reported, not fatal); 1 the harness broke;
2 bad options or missing build; 3 the data audit failed, or HTTP 5xx, or a gateway crash.`);
  process.exit(0);
}
const short = Boolean(args.short);
const num = (name, fallback) => {
  if (args[name] === undefined) return fallback;
  const n = Number(args[name]);
  if (!Number.isFinite(n) || n <= 0) { console.error(`chaos: --${name} must be a positive number of seconds, got "${args[name]}"`); process.exit(2); }
  return n;
};
const replicas = args.replicas === undefined ? 1 : Number(args.replicas);
if (!Number.isInteger(replicas) || replicas < 1 || replicas > 4) { console.error(`chaos: --replicas must be a whole number from 1 to 4, got "${args.replicas}"`); process.exit(2); }
const defaultFaults = replicas > 1 ? REPLICA_FAULTS : short ? SHORT : Object.keys(FAULTS).filter((n) => !REPLICA_FAULTS.includes(n));
const faultNames = args.faults ? String(args.faults).split(',').map((s) => s.trim()).filter(Boolean) : defaultFaults;
for (const n of faultNames) {
  if (!FAULTS[n]) { console.error(`chaos: unknown fault "${n}"; one of ${Object.keys(FAULTS).join(', ')}`); process.exit(2); }
  if (replicas > 1 && SINGLE_ONLY.has(FAULTS[n].kind)) { console.error(`chaos: "${n}" needs one instance per service; with --replicas use kill-one-${FAULTS[n].target}`); process.exit(2); }
  if (replicas === 1 && FAULTS[n].kind === 'kill-one') { console.error(`chaos: "${n}" needs a second instance: add --replicas 2`); process.exit(2); }
}
const subgraphTimeoutMs = Number(process.env.SUBGRAPH_TIMEOUT_MS || 3000);
const opts = {
  short,
  faults: faultNames,
  baselineS: num('baseline', short ? 3 : 10),
  faultS: num('fault', short ? 8 : 10),
  recoveryS: num('recovery', short ? 8 : 20),
  warmS: short ? 2 : 5,
  replicas,
  vus: { home: 3, title: 1, playback: 2 },
  coldEvery: 10,
  warmProfiles: 100,
  subgraphTimeoutMs,
  proxied: 'catalog',
  eventReclaimIdleMs: 10_000,
};
// Short runs (CI's) go to a gitignored folder, so CI leaves the tree clean.
const outDir = path.resolve(String(args.out ?? path.join(CHAOS_DIR, 'results', short ? 'ci' : '')));
for (const f of ['gateway/dist/index.js', 'gateway/dist/composeSupergraph.js', 'packages/demo-data/dist/generateDataset.js', 'packages/platform/dist/index.js',
  ...['profile', 'catalog', 'playback-session', 'recommendation'].map((n) => `subgraphs/${n}/dist/index.js`)]) {
  if (!existsSync(path.join(ROOT, f))) { console.error(`chaos: ${f} is missing; run \`npm run build\` first (npm run chaos does).`); process.exit(2); }
}

// Imported after the checks: these load the built packages.
const { Stack, sleep, waitReady, serviceOf, SUBGRAPHS } = await import('./lib/stack.mjs');
const { startProxy } = await import('./lib/proxy.mjs');
const { Load, loadOperations } = await import('./lib/load.mjs');
const { StreamTail, ConsumerShares, waitForConsumer, readModelSnapshot, auditPositions, auditEvents, auditStreamLimits } = await import('./lib/audit.mjs');
const { faultMetrics, renderTable, renderMarkdown, renderAudit } = await import('./lib/report.mjs');
const { createBenchAuth } = await import('../bench/lib/auth.mjs');
const { generateDataset } = require(path.join(ROOT, 'packages/demo-data/dist/generateDataset.js'));

const POSTGRES_URL = process.env.CHAOS_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s]`, ...a);

let stack;
let proxy;
let load;
let tail;
let shares;
const balancers = {}; // replicas mode: service -> its round-robin balancer (catalog's is also `proxy`)

// ---------------------------------------------------------------- supervision
// The harness plays the orchestrator: a process that exits on its own (a crash, not one of the
// harness's kills) is recorded and restarted, so the run goes on and the crash is reported.
const restarts = new Set();
function superviseRestart(crash) {
  const p = (async () => {
    await sleep(1000);
    if (stack.closing) return;
    log(`restarting ${crash.name} after it exited on its own`);
    if (serviceOf(crash.name) === 'gateway') {
      load?.warm.clear(); // a new process has an empty entity cache: its home screens are cold
      await stack.startGateway({ subgraphTimeoutMs, name: crash.name });
    } else await stack.startSubgraph(crash.name);
  })().catch((err) => log(`!! restart of ${crash.name} failed: ${err.message}`));
  restarts.add(p);
  p.finally(() => restarts.delete(p));
}

async function allReady() {
  while (restarts.size) await Promise.allSettled([...restarts]);
  for (const [name, port] of Object.entries(stack.gatewayPorts)) {
    await waitReady(`http://127.0.0.1:${port}`, 90_000, `${name} (and through it every subgraph)`);
  }
}

// ---------------------------------------------------------------- one fault
async function runFault(name) {
  const f = FAULTS[name];
  const fault = { name, kind: f.kind, target: f.target, notes: [] };
  let end = async () => {};
  let during = async () => sleep(opts.faultS * 1000);
  switch (f.kind) {
    case 'kill':
      fault.description = `kill -9 of ${f.target}, restarted after ${opts.faultS} s`;
      fault.inject = () => stack.killAndWait(f.target);
      end = async () => {
        const at = Date.now();
        await stack.startSubgraph(f.target);
        fault.notes.push(`${f.target} ready ${((Date.now() - at) / 1000).toFixed(1)} s after the restart began`);
      };
      break;
    case 'kill-one': {
      const instance = stack.instancesOf(f.target)[0];
      fault.description = `kill -9 of ${instance} (of ${stack.replicas}), restarted after ${opts.faultS} s`;
      fault.inject = () => stack.killAndWait(instance);
      end = async () => {
        const at = Date.now();
        if (f.target === 'gateway') await stack.startGateway({ subgraphTimeoutMs, name: instance });
        else await stack.startSubgraph(instance);
        fault.notes.push(`${instance} ready ${((Date.now() - at) / 1000).toFixed(1)} s after the restart began`);
        const front = balancers[f.target]?.state;
        if (front) fault.notes.push(`balancer: connections per instance port so far ${JSON.stringify(front.byTarget)}, refused and passed on ${front.refusedTargets}`);
      };
      break;
    }
    case 'freeze':
      fault.description = `${f.target} frozen (SIGSTOP) for ${opts.faultS} s, then SIGCONT`;
      fault.inject = async () => stack.signal(f.target, 'SIGSTOP');
      end = async () => stack.signal(f.target, 'SIGCONT');
      break;
    case 'latency':
      fault.description = `${ADDED_LATENCY_MS} ms added to every ${f.target} response (TCP proxy) for ${opts.faultS} s`;
      fault.inject = async () => proxy.setLatency(ADDED_LATENCY_MS);
      end = async () => proxy.pass();
      break;
    case 'drop':
      fault.description = `connections to ${f.target} reset (TCP proxy) for ${opts.faultS} s`;
      fault.inject = async () => proxy.drop();
      end = async () => { fault.notes.push(`proxy reset ${proxy.state.reset} connection(s)`); proxy.pass(); };
      break;
    case 'redis':
      fault.description = `the run's Redis stopped (SIGTERM; it keeps nothing) and restarted empty on the same port after ${opts.faultS} s`;
      fault.inject = async () => {
        load.marks.push({ at: Date.now(), what: 'redis-lost' });
        await stack.stopRedis('SIGTERM');
      };
      end = async () => {
        await stack.startRedis(stack.redisPort);
        tail.restarted();
      };
      break;
    case 'pg': {
      fault.description = `pg_terminate_backend on every connection of ${f.target}'s database, every 2 s for ${opts.faultS} s`;
      const counts = [];
      fault.inject = async () => { counts.push(await stack.terminateBackends(f.target)); };
      during = async () => {
        const until = Date.now() + opts.faultS * 1000;
        while (Date.now() + 2000 < until) {
          await sleep(2000);
          counts.push(await stack.terminateBackends(f.target));
        }
        await sleep(Math.max(0, until - Date.now()));
      };
      end = async () => { fault.notes.push(`connections terminated per round: ${counts.join(', ')}`); };
      break;
    }
    default:
      throw new Error(`fault kind ${f.kind}`);
  }
  await allReady();
  log(`== ${name}: ${fault.description}`);
  fault.baselineAt = Date.now();
  await sleep(opts.baselineS * 1000);
  fault.injectAt = Date.now();
  await fault.inject();
  await during();
  fault.endAt = Date.now();
  // Settled either way now: a failure while the recovery window runs is rethrown after it, not left
  // as an unhandled rejection that would exit before clean-up.
  const ended = end().then(() => undefined, (err) => err ?? new Error(`${name}: ending the fault failed`));
  await sleep(opts.recoveryS * 1000);
  fault.recoveryEndAt = Date.now();
  const endError = await ended;
  if (endError) throw endError;
  const m = faultMetrics(fault, load.records, { crashes: stack.crashes, subgraphTimeoutMs, retried: load.retried });
  log(`   complete ${m.during.completePct?.toFixed(1)} %, degraded ${m.during.degradedPct?.toFixed(1)} %, failed ${m.during.failedPct?.toFixed(1)} %, ` +
    `p99 ${m.before.latency.p99} → ${m.during.latency.p99} ms, recovery ${m.recoveryS ?? `> ${opts.recoveryS}`} s`);
  return m;
}

// ---------------------------------------------------------------- main
async function main() {
  const startedAt = new Date();
  const dataset = generateDataset({ scale: 1 });
  const auth = await createBenchAuth(dataset);
  stack = new Stack({
    runId, postgresUrl: POSTGRES_URL, authEnv: auth.env, proxied: replicas > 1 ? undefined : opts.proxied, log, verbose: Boolean(args.verbose),
    extraEnv: { EVENT_RECLAIM_IDLE_MS: String(opts.eventReclaimIdleMs) }, replicas,
  });
  stack.onCrash = superviseRestart;
  await stack.startRedis();
  log(`own redis-server on port ${stack.redisPort} (pid ${stack.redis.pid}); databases ${stack.dbPrefix}_*`);
  const started = Date.now();
  await stack.choosePorts();
  if (replicas > 1) {
    // Every subgraph behind its balancer before any starts: siblings dial the balancers too.
    for (const n of SUBGRAPHS) {
      balancers[n] = await startProxy({ targetPorts: stack.instancesOf(n).map((i) => stack.ports[i]) });
      stack.fronts[n] = balancers[n].port;
    }
    proxy = balancers[opts.proxied];
  } else {
    proxy = await startProxy({ targetPort: stack.ports[opts.proxied] });
    stack.proxyPort = proxy.port;
  }
  await stack.startSubgraphs();
  log(`subgraphs ready in ${((Date.now() - started) / 1000).toFixed(1)} s (seeded)`);
  await stack.startGateways({ subgraphTimeoutMs });
  if (replicas > 1) {
    balancers.gateway = await startProxy({ targetPorts: Object.values(stack.gatewayPorts) });
    stack.fronts.gateway = balancers.gateway.port;
    log(`${replicas} instances of every subgraph and of the gateway; the load sends to ${stack.gatewayUrl}, a round-robin balancer`);
  } else log(`gateway ready at ${stack.gatewayUrl} (reaches ${opts.proxied} through the TCP proxy on ${proxy.port})`);

  tail = new StreamTail(stack.redisUrl, 'chaos:playback-events');
  tail.start();
  const before = await readModelSnapshot(stack);
  load = new Load({ stack, auth, dataset, ops: loadOperations(), vus: opts.vus, log, warmProfiles: opts.warmProfiles, coldEvery: opts.coldEvery, retryIdempotent: replicas > 1 });
  shares = new ConsumerShares(stack, 'recommendation', 'recommendation');
  shares.start();
  const warmed = await load.warmUp();
  log(`warmed ${warmed} of ${opts.warmProfiles} profiles' home screens; load: ${JSON.stringify(opts.vus)} VUs`);
  load.start();
  await sleep(opts.warmS * 1000);

  const faults = [];
  for (const name of faultNames) faults.push(await runFault(name));

  log('stopping the load (sessions in progress are stopped first)');
  await load.stop();
  // The progress writer publishes the last positions on its next flush (1 s): let it, then let
  // the consumer drain, snapshot the read model, and only then read the stream a last time.
  await sleep(2500);
  const drained = await waitForConsumer(stack.redisUrl, 'chaos:playback-events', 'recommendation', 60_000, log);
  const after = await readModelSnapshot(stack);
  await tail.stop({ rescan: true });
  const consumers = await shares.stop();
  const audit = {
    consumers,
    positions: await auditPositions(stack, load.sessions),
    events: auditEvents(tail, before, after, drained, load.sessions),
    streamLimits: auditStreamLimits(load.sessions, load.marks),
  };
  audit.failures = [];
  if (audit.positions.lost.length) audit.failures.push(`${audit.positions.lost.length} final position(s) missing`);
  if (audit.positions.mismatched.length) audit.failures.push(`${audit.positions.mismatched.length} final position(s) overwritten`);
  if (audit.events.doubled > 0) audit.failures.push(`${audit.events.doubled} event(s) applied twice`);
  if (audit.streamLimits.violations.length) audit.failures.push(`${audit.streamLimits.violations.length} start(s) over the plan's stream limit`);
  if (!consumers.shared) audit.failures.push(`recommendation's instances did not share the events: ${JSON.stringify(consumers.byInstance)}`);
  audit.passed = audit.failures.length === 0;

  const total5xx = load.records.filter((r) => r.status >= 500).length;
  const gatewayCrashes = stack.crashes.filter((c) => serviceOf(c.name) === 'gateway').length;
  const result = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    wallSeconds: (Date.now() - t0) / 1000,
    command: `npm run chaos${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    options: opts,
    responses: load.records.length,
    total5xx,
    gatewayCrashes,
    crashes: stack.crashes.map((c) => ({ ...c, at: new Date(c.at).toISOString() })),
    faults,
    audit,
  };
  mkdirSync(outDir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/:/g, '-').replace(/\..*/, '');
  const jsonPath = path.join(outDir, `${stamp}.json`);
  const mdPath = path.join(outDir, `${stamp}.md`);
  writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(mdPath, renderMarkdown(result));
  console.log(`\n${renderTable(faults)}\n\ndata audit: ${audit.passed ? 'passed' : `FAILED: ${audit.failures.join('; ')}`}\n${renderAudit(audit)}`);
  console.log(`\n${load.records.length} responses, ${total5xx} HTTP 5xx, ${gatewayCrashes} gateway crash(es); ` +
    `targets met for ${faults.filter((m) => m.targetsMet).length} of ${faults.length} faults; wall time ${result.wallSeconds.toFixed(0)} s`);
  console.log(`wrote ${path.relative(process.cwd(), jsonPath)} and ${path.relative(process.cwd(), mdPath)}`);
  return !audit.passed || total5xx > 0 || gatewayCrashes > 0 ? 3 : 0;
}

// ---------------------------------------------------------------- cleanup, always
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    if (load) { load.running = false; await load.agent.close().catch(() => undefined); }
    if (tail) await tail.stop().catch(() => undefined);
    if (shares) await shares.stop().catch(() => undefined);
    if (stack) await stack.stopAll().catch((err) => console.error(`chaos cleanup: ${err.message}`));
    for (const b of new Set([proxy, ...Object.values(balancers)])) if (b) await b.close().catch(() => undefined);
    if (stack) await stack.dropDatabases().catch((err) => console.error(`chaos cleanup: could not drop ${stack.dbPrefix}_*: ${err.message}`));
  })();
  return cleaning;
}
for (const event of ['unhandledRejection', 'uncaughtException']) {
  process.on(event, (err) => {
    console.error(`chaos: the harness broke (${event}):`, err);
    cleanup().finally(() => process.exit(1));
  });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\nchaos: ${signal}, cleaning up (processes, own redis, databases ${stack?.dbPrefix ?? ''}_*)`);
    cleanup().finally(() => process.exit(130));
  });
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  console.error('chaos: the harness broke:', err);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
