#!/usr/bin/env node
// `npm run --workspace bench home-visit [-- --iterations 500]` (after `npm run build`): what a
// paged home screen costs the recommendation subgraph in CPU and shared-cache bytes, beside what a
// plain HomeScreen page costs, on the scale-1 demo data (2,000 titles), in this process, with the
// code as it ships (recommendation's dist/). A plain HomeScreen ranks only its page; a query that
// selects a cursor also builds the visit's whole-screen snapshot, serialises and hashes it and
// writes it once (one SET); each later page reads and parses it, and every cursor is an HMAC.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/system.mjs';

const { values: args } = parseArgs({ options: { iterations: { type: 'string' }, help: { type: 'boolean' } } });
if (args.help) {
  console.log('npm run --workspace bench home-visit -- [--iterations <n> (500)]');
  process.exit(0);
}
const iterations = Number(args.iterations ?? 500);
const dist = (file) => import(`${ROOT}/${file}`).then((m) => m.default ?? m);
const { generateDataset } = await dist('packages/demo-data/dist/index.js');
const { buildPoolSnapshot, Pool } = await dist('subgraphs/recommendation/dist/ranking/pool.js');
const { buildHomeRows } = await dist('subgraphs/recommendation/dist/ranking/buildHomeRows.js');
const { serialiseVisit, visitIdOf, VISIT_MAX_ROWS } = await dist('subgraphs/recommendation/dist/paging/visitSnapshot.js');
const { HomeCursors } = await dist('subgraphs/recommendation/dist/paging/HomeCursors.js');
const { MAX_ITEMS_PER_ROW } = await dist('subgraphs/recommendation/dist/domain.js');

const data = generateDataset({ scale: 1 });
const now = new Date().toISOString();
const genres = [...new Set(data.titles.flatMap((t) => t.genreIds))].map((id) => ({ id, name: id }));
const pool = new Pool(buildPoolSnapshot({
  features: data.titles.map((t) => ({ id: t.id, name: t.name, maturityRating: t.maturityRating, releaseYear: t.releaseYear, addedAt: t.addedAt.toISOString(), genreIds: t.genreIds, popularity: t.popularity })),
  genres,
  countryStats: data.countryViews.map((v) => ({ ...v, trendingUpdatedAt: now })),
}));

/** Mean milliseconds per call, after a warm-up. */
function time(fn) {
  for (let i = 0; i < Math.min(50, iterations); i += 1) fn();
  const started = performance.now();
  for (let i = 0; i < iterations; i += 1) fn();
  return (performance.now() - started) / iterations;
}

const cursors = new HomeCursors('bench-home-visit');
const owner = { accountId: 'demo-premium', profileId: 'demo-premium-1' };
const rows = [];
for (const profileId of ['demo-premium-1', 'demo-premium-kids']) {
  const profile = data.profiles.find((p) => p.id === profileId);
  const country = data.accounts.find((a) => a.id === profile.accountId).country;
  const input = {
    profileId, maturityRating: profile.maturityRating, country,
    myListIds: data.myList.filter((m) => m.profileId === profileId).map((m) => m.titleId),
    activity: data.progress.filter((p) => p.profileId === profileId).map((p) => ({ titleId: p.titleId, lastWatchedAt: p.updatedAt.toISOString(), completed: p.completed, similarIds: [] })),
  };
  const whole = () => ({ maturityRating: profile.maturityRating, rows: buildHomeRows(pool, { ...input, rows: VISIT_MAX_ROWS, itemsPerRow: MAX_ITEMS_PER_ROW, keepEmptyRows: true }) });
  const snapshot = whole();
  const json = JSON.stringify(snapshot);
  const signed = cursors.sign({ kind: 'items', visitId: visitIdOf(snapshot), expiresAt: 4e9, row: 2, afterItems: 20 }, owner);
  rows.push({
    profile: profileId,
    'rank a 10x20 page (every HomeScreen)': time(() => buildHomeRows(pool, { ...input, rows: 10, itemsPerRow: 20 })),
    'build the whole-screen snapshot (once per visit)': time(whole),
    'serialise + hash it (once per visit)': time(() => serialiseVisit(snapshot)),
    'parse it (every later page)': time(() => JSON.parse(json)),
    'sign + verify a cursor': time(() => cursors.verify(cursors.sign({ kind: 'items', visitId: 'x', expiresAt: 4e9, row: 2, afterItems: 20 }, owner), 'items', owner)),
    rowsInVisit: snapshot.rows.length,
    snapshotBytes: json.length,
    cursorChars: signed.length,
  });
}
console.log(`home-visit: scale 1 (${data.titles.length} titles), ${iterations} iterations, mean ms per call, node ${process.version}`);
console.table(Object.fromEntries(rows.map(({ profile, ...r }) => [profile, Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number.isInteger(v) ? v : Number(v.toFixed(3))]))])));
