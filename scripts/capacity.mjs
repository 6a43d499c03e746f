#!/usr/bin/env node
// `npm run capacity [-- --check]`: the README's "Scaling out", computed from the newest bench JSON
// in bench/results/ that measured a warm home screen with per-service CPU, Redis commands and SQL
// statements (bench/run.mjs records them; a short run: `npm run bench -- --mode full-stack
// --gateways ours --scenarios home-10x20-warm --duration 5 --reps 1 --connections 10 --no-readme`).
// Writes the section between the capacity markers; --check exits 1 when the README differs from
// what the newest bench JSON gives (a bench re-run or an edited model, not re-generated).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readManifests } from './deploy/validateManifests.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'bench', 'results');
const README = path.join(ROOT, 'README.md');
const START = '<!-- capacity:start (npm run capacity writes this section; do not edit by hand) -->';
const END = '<!-- capacity:end -->';
const SCENARIO = 'home-10x20-warm';
const TARGETS = [10_000, 100_000, 1_000_000];

// deploy/'s sizing, which the model uses and checks: per Deployment its container's CPU request
// (cores a pod is given), memory request and limit, and its HPA's CPU utilization target.
const SIZING = (() => {
  const docs = readManifests(path.join(ROOT, 'deploy')).map((m) => m.doc);
  const cores = (q) => (String(q).endsWith('m') ? Number(String(q).slice(0, -1)) / 1000 : Number(q));
  const mib = (q) => {
    const m = /^(\d+(?:\.\d+)?)(Mi|Gi)$/.exec(String(q));
    if (!m) throw new Error(`deploy/: memory quantity ${q} is not in Mi or Gi`);
    return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
  };
  return Object.fromEntries(docs.filter((d) => d.kind === 'Deployment').map((d) => {
    const r = d.spec.template.spec.containers[0].resources;
    const hpa = docs.find((h) => h.kind === 'HorizontalPodAutoscaler' && h.spec.scaleTargetRef.name === d.metadata.name);
    const target = hpa.spec.metrics.find((m) => m.resource?.name === 'cpu').resource.target.averageUtilization / 100;
    return [d.metadata.name, { cores: cores(r.requests.cpu), memoryRequestMiB: mib(r.requests.memory), memoryLimitMiB: mib(r.limits.memory), target }];
  }));
})();
// A pod past this share of its memory limit at the bench's load is sized too small.
const MEMORY_HEADROOM = 0.8;

// The model's assumptions: the only figures not measured by the bench, stated in the section.
// One Redis primary (one shard): single-threaded; ~100k mostly O(1) commands/s at a comfortable
// 70% of its core is the usual planning figure for small GET/MGET/EXISTS/EVALSHA traffic.
const REDIS_COMMANDS_PER_SHARD = 100_000;
// One Postgres primary: ~30k short indexed statements/s (the home screen's are key lookups) before
// its CPU and connection count become the limit; read replicas add as much again for reads each.
const POSTGRES_STATEMENTS_PER_NODE = 30_000;

const { values: opts } = parseArgs({ options: { check: { type: 'boolean', default: false } } });

/** The newest bench JSON with a full-stack warm home-screen cell of our gateway carrying the counters. */
function newestMeasurement() {
  const files = readdirSync(RESULTS).filter((f) => f.endsWith('.json')).sort().reverse();
  for (const file of files) {
    const result = JSON.parse(readFileSync(path.join(RESULTS, file), 'utf8'));
    const cells = (result.cells ?? []).filter((c) => c.gateway === 'ours' && c.scenario === SCENARIO && (c.mode ?? 'full-stack') === 'full-stack'
      && c.summary?.subgraphCpuMsPerRequest && c.summary.redisCommandsPerRequest != null);
    if (cells.length === 0) continue;
    const cell = cells.sort((a, b) => b.connections - a.connections)[0];
    return { file, result, cell };
  }
  throw new Error(`no bench JSON in bench/results/ has a full-stack ${SCENARIO} cell of ours with per-service CPU and Redis commands; run the short bench in this script's header`);
}

const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const short = (n) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

export function model({ file, result, cell }) {
  const s = cell.summary;
  const services = [['gateway', s.cpuMsPerRequest], ...Object.entries(s.subgraphCpuMsPerRequest).sort()];
  const perCore = (ms) => 1000 / ms;
  const sql = s.sqlPerRequest;
  const redisPer = s.redisCommandsPerRequest;
  const sqlTotal = s.sqlPerRequestTotal;
  const busiestDb = Object.entries(sql).sort((a, b) => b[1] - a[1])[0];

  // Where each shared, not horizontally scaled resource runs out (home screens/s).
  const limits = [
    { what: 'one Redis primary', at: REDIS_COMMANDS_PER_SHARD / redisPer, change: 'Redis Cluster (issue 18 part 1): shards by key hash tag; the per-account keys (sessions, stream limits, rate limits) spread evenly' },
    { what: `one Postgres primary for ${busiestDb[0]}`, at: POSTGRES_STATEMENTS_PER_NODE / busiestDb[1], change: `read replicas for ${busiestDb[0]}'s reads, and a longer or larger cache (CACHE_TTL_SECONDS, the entity cache) so fewer home screens reach SQL` },
  ].sort((a, b) => a.at - b.at);

  const lines = [];
  lines.push(START);
  lines.push('');
  lines.push(`From \`bench/results/${file}\` (${result.startedAt ?? '?'}; ${cell.scenario}, full stack, our gateway, ${cell.connections} connections, ${s.requests} requests, ${s.errors} errors). CPU is each process's user + system time over the run divided by the requests sent; Redis commands are \`INFO commandstats\` on the bench's own redis-server; SQL statements are counted in each subgraph. The bench machine is small and shared (${result.machine?.cpus ?? '?'} cores${result.machine?.loadAvg ? `, load ${result.machine.loadAvg}` : ''}), so per-core figures are on the low side: re-run on production hardware and \`npm run capacity\` again.`);
  lines.push('');
  lines.push('Measured per warm home screen (10 rows x 20 titles):');
  lines.push('');
  const rss = { gateway: s.peakRssMB, ...(s.subgraphPeakRssMB ?? {}) };
  lines.push('| service | CPU ms | home screens/s per core | SQL statements | peak RSS MB | pod memory request / limit MiB |');
  lines.push('|---|---:|---:|---:|---:|---:|');
  for (const [name, ms] of services) lines.push(`| ${name} | ${fmt(ms, 2)} | ${fmt(perCore(ms))} | ${name === 'gateway' ? '-' : fmt(sql[name] ?? 0, 2)} | ${rss[name] == null ? '-' : fmt(rss[name])} | ${SIZING[name].memoryRequestMiB} / ${SIZING[name].memoryLimitMiB} |`);
  lines.push(`| **all** | ${fmt(services.reduce((a, [, ms]) => a + ms, 0), 2)} | | ${fmt(sqlTotal, 2)} | | |`);
  lines.push('');
  const byName = Object.entries(s.redisCommandsByName ?? {}).sort((a, b) => b[1] - a[1]).map(([n, c]) => `${n.toUpperCase()} ${fmt(c, 2)}`).join(', ');
  lines.push(`Redis: ${fmt(redisPer, 2)} commands per home screen (${byName}).`);
  lines.push('');
  const sizes = [...new Set(services.map(([n]) => `${SIZING[n].cores} core, scaled out at ${SIZING[n].target * 100}% CPU`))].join('; ');
  lines.push(`Derived: pods as \`deploy/\` sizes them (CPU request ${sizes}; at least 2 pods each); Redis at ${fmt(REDIS_COMMANDS_PER_SHARD)} commands/s per primary shard; Postgres at ${fmt(POSTGRES_STATEMENTS_PER_NODE)} statements/s per node (each subgraph has its own database). These three are assumptions, the rest is measured.`);
  lines.push('');
  lines.push(`| home screens/s | ${services.map(([n]) => `${n} pods`).join(' | ')} | cores | Redis commands/s (shards) | SQL statements/s | busiest database (${busiestDb[0]}) nodes |`);
  lines.push(`|---:|${services.map(() => '---:').join('|')}|---:|---:|---:|---:|`);
  for (const t of TARGETS) {
    const pods = services.map(([name, ms]) => Math.max(2, Math.ceil((t * ms) / 1000 / (SIZING[name].cores * SIZING[name].target))));
    const cores = services.reduce((a, [name], i) => a + pods[i] * SIZING[name].cores, 0);
    const redisOps = t * redisPer;
    const dbNodes = Math.ceil((t * busiestDb[1]) / POSTGRES_STATEMENTS_PER_NODE);
    lines.push(`| ${short(t)} | ${pods.map((p) => fmt(p)).join(' | ')} | ${fmt(cores)} | ${fmt(redisOps)} (${fmt(Math.ceil(redisOps / REDIS_COMMANDS_PER_SHARD))}) | ${fmt(t * sqlTotal)} | ${fmt(dbNodes)} |`);
  }
  lines.push('');
  const [first, second] = limits;
  const costliest = services.slice().sort((a, b) => b[1] - a[1])[0];
  lines.push(`**What saturates first:** ${first.what}, at about ${fmt(first.at)} home screens/s; then ${second.what} at about ${fmt(second.at)}. The pods themselves scale out with the HPA (no shared state in a process); the ${costliest[0]} is the most CPU per home screen (${fmt(costliest[1], 1)} ms), so it is most of the bill at every size.`);
  lines.push('');
  lines.push('**What changes there:**');
  lines.push(`- at ~${fmt(first.at)}/s: ${first.change};`);
  lines.push(`- at ~${fmt(second.at)}/s: ${second.change};`);
  lines.push(`- towards 1M/s: partitioned event streams (one stream per account hash, consumer groups per partition) so that recommendation's consumers and Redis shards grow together; SQL is ${fmt(sqlTotal, 1)} statements per warm home screen, so the cache hit ratio (${s.redisHitRatio == null ? '-' : `${fmt(s.redisHitRatio * 100)}%`} here) decides Postgres's size: each point of misses costs another cold home screen's statements (\`sqlPerHomeScreen\` in the bench JSON).`);
  lines.push('');
  lines.push(END);
  const tooSmall = services.filter(([name]) => rss[name] != null && rss[name] > SIZING[name].memoryLimitMiB * MEMORY_HEADROOM)
    .map(([name]) => `${name}: peak RSS ${fmt(rss[name])} MB is over ${MEMORY_HEADROOM * 100}% of its ${SIZING[name].memoryLimitMiB} MiB limit in deploy/`);
  return { text: lines.join('\n'), tooSmall };
}

const { text: section, tooSmall } = model(newestMeasurement());
if (tooSmall.length) {
  console.error(`deploy/ sizes a pod below what the bench measured:\n- ${tooSmall.join('\n- ')}`);
  process.exit(1);
}
const text = readFileSync(README, 'utf8');
const a = text.indexOf(START);
const b = text.indexOf(END);
if (a < 0 || b < 0) {
  console.error(`README.md has no capacity markers (${START} ... ${END})`);
  process.exit(1);
}
const next = `${text.slice(0, a)}${section}${text.slice(b + END.length)}`;
if (opts.check) {
  if (next !== text) {
    console.error('README.md "Scaling out" is stale: run `npm run capacity` and commit README.md');
    process.exit(1);
  }
  console.log('README.md "Scaling out" matches the newest bench JSON');
} else {
  writeFileSync(README, next);
  console.log(`README.md "Scaling out" written from the newest bench JSON`);
}
