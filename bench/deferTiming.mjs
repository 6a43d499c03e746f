#!/usr/bin/env node
// `npm run bench:defer`: what `@defer` buys a phone. Time to the first payload and to the last,
// HomeScreenDeferred (multipart/mixed, deferSpec=20220824) against HomeScreen (one JSON answer),
// 10 rows of 20, with no fault, with the catalog 500 ms slow and with playback-session 500 ms
// slow (`x-fault`, the gateway's fault injection).
//
// The four subgraphs run as production processes on fresh databases `defer_<run>_*` (seed scale
// 0.2 by default; dropped afterwards); the gateway runs on our executor with fault injection on,
// which NODE_ENV=production refuses, so it runs as development. Requests go one at a time over
// rotating profiles, each operation alternating with the other; medians and p90 per cell.
// Results in bench/results/defer-*.{json,md}.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createBenchAuth } from './lib/auth.mjs';
import { runThenDrop, startGatewayProcess, startSubgraphProcesses } from './lib/productionStack.mjs';
import { pools } from './lib/scenarios.mjs';
import { BENCH_DIR, machine, ROOT } from './lib/system.mjs';

const require = createRequire(import.meta.url);
const { values: args } = parseArgs({ options: { requests: { type: 'string' }, 'seed-scale': { type: 'string' }, help: { type: 'boolean' }, verbose: { type: 'boolean' } } });
if (args.help) {
  console.log(`npm run bench:defer -- [--requests <n>] [--seed-scale <s>] [--verbose]
  --requests     measured requests per operation and fault (default 40, after 10 unmeasured)
  --seed-scale   dataset size of the fresh databases (default 0.2)`);
  process.exit(0);
}
const REQUESTS = Number(args.requests ?? 40);
const WARMUP = 10;
const SCALE = Number(args['seed-scale'] ?? 0.2);
const FAULTS = [undefined, 'catalog=delay:500', 'playback-session=delay:500'];
const runId = Date.now().toString(36);
const dbPrefix = `defer_${runId}`;
const keyPrefix = `defer:${runId}:`;
const log = (...a) => console.log(...a);
const quiet = args.verbose ? log : () => {};

const { generateDataset } = require(path.join(ROOT, 'packages/demo-data/dist/generateDataset.js'));
const { composeSupergraph } = require(path.join(ROOT, 'gateway/dist/composeSupergraph.js'));
const operation = (name) => readFileSync(path.join(ROOT, 'operations', `${name}.graphql`), 'utf8');

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Sends one request; the times (ms) at which its first and its last payload had fully arrived. */
async function timed(url, query, variables, headers) {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
  const payloads = [];
  if (!String(res.headers.get('content-type')).startsWith('multipart/mixed')) {
    payloads.push({ ms: performance.now() - started, body: await res.json() });
  } else {
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of res.body) {
      buffered += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffered.indexOf('\r\n---')) >= 0) {
        const part = buffered.slice(0, end);
        buffered = buffered.slice(end + 5);
        const json = part.indexOf('\r\n\r\n');
        if (json >= 0) payloads.push({ ms: performance.now() - started, body: JSON.parse(part.slice(json + 4)) });
      }
    }
  }
  const errors = payloads.flatMap((p) => [...(p.body.errors ?? []), ...(p.body.incremental ?? []).flatMap((i) => i.errors ?? [])]);
  if (errors.length > 0) throw new Error(`errors: ${JSON.stringify(errors).slice(0, 300)}`);
  return { first: payloads[0].ms, last: payloads[payloads.length - 1].ms, payloads: payloads.length };
}

async function main() {
  const dataset = generateDataset({ scale: SCALE });
  const auth = await createBenchAuth(dataset);
  const profiles = pools(dataset, 40);
  log(`starting subgraphs on ${dbPrefix}_* (seed scale ${SCALE})`);
  const urls = await startSubgraphProcesses({ auth, dbPrefix, keyPrefix, scale: SCALE, secret: `defer-${runId}`, log: quiet });
  const supergraphPath = path.join(ROOT, 'node_modules/.cache', `defer-supergraph-${runId}.graphql`);
  mkdirSync(path.dirname(supergraphPath), { recursive: true });
  writeFileSync(supergraphPath, composeSupergraph(urls));
  const gateway = await startGatewayProcess({
    name: 'gateway', urls, auth, keyPrefix, supergraphPath, log: quiet,
    env: { NODE_ENV: 'development', GATEWAY_EXECUTOR: 'ours', FAULT_INJECTION: 'true' },
  });
  const cases = [
    { name: 'HomeScreen', query: operation('HomeScreen'), accept: 'application/json' },
    { name: 'HomeScreenDeferred', query: operation('HomeScreenDeferred'), accept: 'multipart/mixed;deferSpec=20220824,application/json' },
  ];
  const rows = [];
  let i = 0;
  for (const fault of FAULTS) {
    const samples = Object.fromEntries(cases.map((c) => [c.name, []]));
    for (let n = 0; n < WARMUP + REQUESTS; n += 1) {
      for (const c of cases) {
        const profileId = profiles.warmProfiles[i++ % profiles.warmProfiles.length];
        const headers = { accept: c.accept, ...auth.headers({ accountId: profiles.accountOf.get(profileId) }), ...(fault ? { 'x-fault': fault } : {}) };
        const t = await timed(gateway.url, c.query, { profileId, rows: 10, itemsPerRow: 20 }, headers);
        if (n >= WARMUP) samples[c.name].push(t);
      }
    }
    for (const c of cases) {
      const s = samples[c.name];
      const row = {
        fault: fault ?? 'none', operation: c.name, payloads: s[0].payloads,
        firstP50: percentile(s.map((t) => t.first), 50), firstP90: percentile(s.map((t) => t.first), 90),
        lastP50: percentile(s.map((t) => t.last), 50), lastP90: percentile(s.map((t) => t.last), 90),
      };
      rows.push(row);
      log(`${row.fault.padEnd(27)} ${c.name.padEnd(19)} first payload p50 ${row.firstP50.toFixed(1)} ms (p90 ${row.firstP90.toFixed(1)}), last p50 ${row.lastP50.toFixed(1)} ms (p90 ${row.lastP90.toFixed(1)}), ${row.payloads} payload(s)`);
    }
  }
  const stamp = new Date().toISOString().replace(/:/g, '-').replace(/\..*/, '');
  const outDir = path.join(BENCH_DIR, 'results');
  mkdirSync(outDir, { recursive: true });
  const command = `npm run bench:defer -- ${process.argv.slice(2).join(' ')}`.trim();
  writeFileSync(path.join(outDir, `defer-${stamp}.json`), `${JSON.stringify({ command, machine: machine(), requests: REQUESTS, seedScale: SCALE, rows }, null, 2)}\n`);
  const md = [`**Run ${stamp}**: \`${command}\`, ${REQUESTS} requests per cell, one at a time.`, '',
    '| fault | operation | payloads | first payload p50 / p90 (ms) | last payload p50 / p90 (ms) |', '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.fault} | ${r.operation} | ${r.payloads} | ${r.firstP50.toFixed(1)} / ${r.firstP90.toFixed(1)} | ${r.lastP50.toFixed(1)} / ${r.lastP90.toFixed(1)} |`), ''].join('\n');
  writeFileSync(path.join(outDir, `defer-${stamp}.md`), md);
  log(`\n${md}\nwrote bench/results/defer-${stamp}.{json,md}`);
}

await runThenDrop(main, { dbPrefix, keyPrefix });
