#!/usr/bin/env node
// `npm run bench:cold-start`: p99 of the first 100 requests a freshly started gateway serves,
// against its steady state, with the plan warm-up on (PLAN_WARMUP=on, the default) and off.
//
// The four subgraphs run as production processes on fresh databases `coldstart_<run>_*` (seed
// scale 0.2 by default: planning doesn't depend on the data; dropped afterwards) and a Redis key
// prefix of their own. A throwaway gateway first sends the whole request list once, so the
// subgraphs' caches and JIT are warm: what is left to measure is the gateway's own cold start.
// Then, per round, one gateway process per mode (the order alternates between rounds):
//   1. start it; time until /health/ready answers 200 (what a load balancer waits for);
//   2. the first 100 requests, one at a time, by persisted-query id as mobile clients send them
//      (trusted documents are enforced in production): a mix of the registered queries over
//      rotating profiles and titles;
//   3. 300 more of the same list (the list is 100 long, so they repeat it): steady state is the
//      p99 of the last 200.
// The ratio is first-100 p99 / steady p99 (target <= 1.5). Results in bench/results/cold-start-*.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createBenchAuth } from './lib/auth.mjs';
import { runThenDrop, startGatewayProcess, startSubgraphProcesses } from './lib/productionStack.mjs';
import { pools } from './lib/scenarios.mjs';
import { BENCH_DIR, machine, ROOT, stopProcess } from './lib/system.mjs';

const require = createRequire(import.meta.url);
const { values: args } = parseArgs({ options: { rounds: { type: 'string' }, 'seed-scale': { type: 'string' }, help: { type: 'boolean' }, verbose: { type: 'boolean' } } });
if (args.help) {
  console.log(`npm run bench:cold-start -- [--rounds <n>] [--seed-scale <s>] [--verbose]
  --rounds       gateway starts per mode (default 3)
  --seed-scale   dataset size of the fresh databases (default 0.2)`);
  process.exit(0);
}
const ROUNDS = Number(args.rounds ?? 3);
const SCALE = Number(args['seed-scale'] ?? 0.2);
const FIRST = 100;
const MORE = 300;
const STEADY = 200;
const runId = Date.now().toString(36);
const dbPrefix = `coldstart_${runId}`;
const keyPrefix = `coldstart:${runId}:`;
const log = (...a) => console.log(...a);
const quiet = args.verbose ? log : () => {};

const { generateDataset } = require(path.join(ROOT, 'packages/demo-data/dist/generateDataset.js'));
const { composeSupergraph } = require(path.join(ROOT, 'gateway/dist/composeSupergraph.js'));

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const median = (values) => percentile(values, 50);
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'gateway/persisted-query-manifest.json'), 'utf8'));
const idOf = (name) => manifest.operations.find((o) => o.name === name).id;

/** 100 requests: the registered queries a phone sends, over rotating profiles and titles. */
function requestList(dataset) {
  const p = pools(dataset, 40);
  const ops = ['HomeScreen', 'TitleDetails', 'PublicTitleDetails', 'ProfilePicker', 'Viewer', 'Search', 'ActiveSessions', 'HomeScreenMoreRows'];
  const list = [];
  for (let i = 0; list.length < FIRST; i += 1) {
    const op = ops[i % ops.length];
    const profileId = p.warmProfiles[i % p.warmProfiles.length];
    const accountId = p.accountOf.get(profileId);
    const id = p.series[i % p.series.length];
    const variables = {
      HomeScreen: { profileId, rows: 10, itemsPerRow: 20 },
      TitleDetails: { id, profileId },
      PublicTitleDetails: { id },
      ProfilePicker: { accountId },
      Viewer: {},
      Search: { profileId, query: 'the', first: 10 },
      ActiveSessions: { profileId },
      HomeScreenMoreRows: { profileId, rows: 3, itemsPerRow: 10 },
    }[op];
    // Whose token it carries: the owner of what it asks about.
    list.push({ op, variables, who: { accountId }, hash: idOf(op) });
  }
  return list;
}

async function send(url, request, auth) {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth.headers(request.who) },
    body: JSON.stringify({ operationName: request.op, variables: request.variables, extensions: { persistedQuery: { version: 1, sha256Hash: request.hash } } }),
  });
  const body = await res.json();
  const ms = performance.now() - started;
  if (res.status !== 200 || body.errors) throw new Error(`${request.op}: HTTP ${res.status} ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
  return ms;
}

function startGateway(urls, auth, supergraphPath, warmup) {
  return startGatewayProcess({ name: `gateway-${warmup ? 'warm' : 'cold'}`, urls, auth, keyPrefix, supergraphPath, env: { PLAN_WARMUP: warmup ? 'on' : 'off' }, log: quiet });
}

async function oneStart(urls, auth, supergraphPath, list, warmup) {
  const gateway = await startGateway(urls, auth, supergraphPath, warmup);
  try {
    const latencies = [];
    for (let i = 0; i < FIRST + MORE; i += 1) latencies.push(await send(gateway.url, list[i % list.length], auth));
    const first = latencies.slice(0, FIRST);
    const steady = latencies.slice(-STEADY);
    // Which requests were slowest among the first 100: what a cold start is made of.
    const slowest = first.map((ms, i) => ({ i, op: list[i % list.length].op, ms: Math.round(ms) })).sort((a, b) => b.ms - a.ms).slice(0, 5);
    return { readyMs: gateway.readyMs, slowest, firstP99: percentile(first, 99), firstMax: Math.max(...first), steadyP99: percentile(steady, 99), steadyP50: percentile(steady, 50) };
  } finally {
    await stopProcess(gateway.proc);
  }
}

async function main() {
  const dataset = generateDataset({ scale: SCALE });
  const auth = await createBenchAuth(dataset);
  log(`starting subgraphs on ${dbPrefix}_* (seed scale ${SCALE})`);
  const urls = await startSubgraphProcesses({ auth, dbPrefix, keyPrefix, scale: SCALE, secret: `coldstart-${runId}`, log: quiet });
  const supergraphPath = path.join(ROOT, 'node_modules/.cache', `coldstart-supergraph-${runId}.graphql`);
  mkdirSync(path.dirname(supergraphPath), { recursive: true });
  writeFileSync(supergraphPath, composeSupergraph(urls));
  const list = requestList(dataset);
  // Warm the subgraphs (caches, JIT) so that what follows measures the gateway's start only.
  await oneStart(urls, auth, supergraphPath, list, true);
  const runs = { on: [], off: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const mode of round % 2 === 0 ? ['off', 'on'] : ['on', 'off']) {
      const r = await oneStart(urls, auth, supergraphPath, list, mode === 'on');
      runs[mode].push(r);
      log(`round ${round + 1} warm-up ${mode}: ready in ${r.readyMs.toFixed(0)} ms, first ${FIRST} p99 ${r.firstP99.toFixed(1)} ms (max ${r.firstMax.toFixed(1)}), steady p99 ${r.steadyP99.toFixed(1)} ms (p50 ${r.steadyP50.toFixed(1)}) -> ${(r.firstP99 / r.steadyP99).toFixed(2)}x; slowest of the first: ${r.slowest.map((x) => `#${x.i} ${x.op} ${x.ms} ms`).join(', ')}`);
    }
  }
  const summary = Object.fromEntries(Object.entries(runs).map(([mode, rs]) => [mode, {
    readyMs: median(rs.map((r) => r.readyMs)),
    firstP99: median(rs.map((r) => r.firstP99)),
    firstMax: median(rs.map((r) => r.firstMax)),
    steadyP99: median(rs.map((r) => r.steadyP99)),
    ratio: median(rs.map((r) => r.firstP99 / r.steadyP99)),
  }]));
  const stamp = new Date().toISOString().replace(/:/g, '-').replace(/\..*/, '');
  const outDir = path.join(BENCH_DIR, 'results');
  mkdirSync(outDir, { recursive: true });
  const result = { command: `npm run bench:cold-start -- ${process.argv.slice(2).join(' ')}`.trim(), machine: machine(), rounds: ROUNDS, seedScale: SCALE, runs, summary };
  writeFileSync(path.join(outDir, `cold-start-${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const rows = Object.entries(summary).map(([mode, s]) =>
    `| ${mode} | ${s.readyMs.toFixed(0)} | ${s.firstP99.toFixed(1)} | ${s.firstMax.toFixed(1)} | ${s.steadyP99.toFixed(1)} | ${s.ratio.toFixed(2)}x |`);
  const md = [`**Run ${stamp}**: \`${result.command}\`, ${ROUNDS} starts per mode, medians.`, '',
    '| plan warm-up | ready after (ms) | first 100 p99 (ms) | first 100 max (ms) | steady p99 (ms) | first/steady |', '|---|---|---|---|---|---|', ...rows, ''].join('\n');
  writeFileSync(path.join(outDir, `cold-start-${stamp}.md`), md);
  log(`\n${md}\nwrote bench/results/cold-start-${stamp}.{json,md}`);
}

await runThenDrop(main, { dbPrefix, keyPrefix });
