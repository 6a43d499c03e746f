#!/usr/bin/env node
// `node bench/cpuProfileTable.mjs <file.cpuprofile> [--top 15]`: where a gateway's CPU went, from
// a profile `npm run bench -- --cpu-prof <gateway>` wrote to bench/profiles/. Self time, grouped
// by where the code lives (our gateway's files, a package, V8's garbage collector, idle), then
// the functions that took most, as Markdown tables for bench/README.md.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string' } } });
if (positionals.length !== 1) {
  console.error('usage: node bench/cpuProfileTable.mjs <file.cpuprofile> [--top 15]');
  process.exit(2);
}
const top = Number(args.top ?? 15);
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));

/** Where a frame's code lives: a file of ours, a package, or one of V8's pseudo-frames. */
function placeOf(frame) {
  const url = frame.url ?? '';
  if (!url) {
    if (frame.functionName.startsWith('(')) return frame.functionName; // (garbage collector), (idle), (program)
    return `V8 builtin`;
  }
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  const ours = url.match(/\/(gateway|packages\/[^/]+)\/dist\/(.*)$/);
  if (ours) return `${ours[1]}/${ours[2]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^file:\/\//, '');
}

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMs = new Map();
// Each sample is one node, held for the time delta that follows it.
for (let i = 0; i < profile.samples.length; i++) {
  const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  selfMs.set(profile.samples[i], (selfMs.get(profile.samples[i]) ?? 0) + dt);
}
const places = new Map();
const functions = new Map();
let total = 0;
let idle = 0;
for (const [id, ms] of selfMs) {
  const frame = byId.get(id).callFrame;
  const place = placeOf(frame);
  if (place === '(idle)') {
    idle += ms;
    continue;
  }
  total += ms;
  places.set(place, (places.get(place) ?? 0) + ms);
  const name = `${frame.functionName || '(anonymous)'} (${place}${frame.url ? `:${frame.lineNumber + 1}` : ''})`;
  functions.set(name, (functions.get(name) ?? 0) + ms);
}
const pct = (ms) => `${((100 * ms) / total).toFixed(1)}%`;
const rows = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`Busy ${(total / 1000).toFixed(1)} s, idle ${(idle / 1000).toFixed(1)} s (${((100 * idle) / (idle + total)).toFixed(0)}% of the profile).\n`);
console.log('| where | self time | share of busy |\n|---|---|---|');
for (const [place, ms] of rows(places)) console.log(`| ${place} | ${(ms / 1000).toFixed(2)} s | ${pct(ms)} |`);
console.log('\n| function | self time | share of busy |\n|---|---|---|');
for (const [name, ms] of rows(functions)) console.log(`| ${name.replace(/\|/g, '\\|')} | ${(ms / 1000).toFixed(2)} s | ${pct(ms)} |`);
