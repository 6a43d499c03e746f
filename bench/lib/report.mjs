// Medians and spreads over repetitions, the console table and the markdown summary.
const SHORT = { profile: 'prof', catalog: 'cat', 'playback-session': 'play', recommendation: 'rec' };

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function summarize(reps) {
  const pick = (k) => reps.map((r) => r[k]);
  const med = (k) => median(pick(k));
  const perSubgraph = (k) => {
    const names = Object.keys(reps[0]?.[k] ?? {});
    return Object.fromEntries(names.map((n) => [n, median(reps.map((r) => r[k][n]))]));
  };
  const samples = {};
  for (const r of reps) for (const [k, v] of Object.entries(r.errorSamples ?? {})) samples[k] = (samples[k] ?? 0) + v;
  return {
    reps: reps.length,
    rps: med('rps'),
    rpsMin: Math.min(...pick('rps')),
    rpsMax: Math.max(...pick('rps')),
    p50: med('p50'),
    p95: med('p95'),
    p99: med('p99'),
    p99Min: Math.min(...pick('p99').filter((x) => x !== null)),
    p99Max: Math.max(...pick('p99').filter((x) => x !== null)),
    requests: reps.reduce((s, r) => s + r.completed, 0),
    errors: reps.reduce((s, r) => s + r.errors, 0),
    errorSamples: samples,
    cpuMsPerRequest: med('cpuMsPerRequest'),
    // Per subgraph process; Redis commands only when the bench ran its own redis-server.
    subgraphCpuMsPerRequest: perSubgraph('subgraphCpuMsPerRequest'),
    subgraphPeakRssMB: perSubgraph('subgraphPeakRssMB'),
    redisCommandsPerRequest: reps[0]?.redisCommandsPerRequest == null ? null : med('redisCommandsPerRequest'),
    redisCommandsByName: reps[0]?.redisCommandsByName == null ? null : perSubgraph('redisCommandsByName'),
    peakRssMB: Math.max(...pick('peakRssMB')),
    sqlPerRequest: perSubgraph('sqlPerRequest'),
    sqlPerRequestTotal: med('sqlPerRequestTotal'),
    subgraphFetchesPerRequest: med('subgraphFetchesPerRequest'),
    internalFetchesPerRequest: med('internalFetchesPerRequest'),
    subgraphBytesPerRequest: med('subgraphBytesPerRequest'),
    responseBytes: med('responseBytes'),
    redisHitRatio: med('redisHitRatio'),
    // Gateway-only mode: fetches the replay server had to forward to the real subgraphs.
    replayMissesPerRequest: med('replayMissesPerRequest'),
    // What those were, for as many as the replay still remembered (its last 20 forwarded).
    replayMissSamples: reps.flatMap((r) => r.replayMissSamples ?? []),
  };
}

const f = (x, d = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));
const pct = (x) => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(0)}%`);

/** Cells from before there were modes were full stack. */
const modeOf = (cell) => cell.mode ?? 'full-stack';

function ratio(result, scenario, connections, other, mode = 'full-stack') {
  const find = (g) => result.cells.find((c) => modeOf(c) === mode && c.gateway === g && c.scenario === scenario && c.connections === connections);
  const a = find('ours');
  const b = find(other);
  if (!a || !b || !b.summary.rps) return null;
  return a.summary.rps / b.summary.rps;
}

function sqlText(s) {
  return Object.entries(s.sqlPerRequest).map(([n, v]) => `${SHORT[n] ?? n} ${f(v, 2)}`).join(', ');
}

function rows(result) {
  const out = [];
  for (const c of result.cells) {
    const s = c.summary;
    out.push({
      mode: modeOf(c),
      scenario: c.scenario,
      conns: String(c.connections),
      gateway: c.gateway,
      'req/s (min-max)': `${f(s.rps)} (${f(s.rpsMin)}-${f(s.rpsMax)})`,
      'p50/p95/p99 ms': `${f(s.p50)}/${f(s.p95)}/${f(s.p99)}`,
      errors: String(s.errors),
      'CPU ms/req': f(s.cpuMsPerRequest, 2),
      'peak RSS MB': f(s.peakRssMB, 0),
      'fetches/req': f(s.subgraphFetchesPerRequest, 2),
      'SQL/req': f(s.sqlPerRequestTotal, 2),
      'Redis hit': pct(s.redisHitRatio),
      'replay misses/req': modeOf(c) === 'gateway-only' ? f(s.replayMissesPerRequest, 3) : '',
      'ours/x': c.gateway === 'ours' ? '' : f(ratio(result, c.scenario, c.connections, c.gateway, modeOf(c)), 2),
    });
  }
  return out;
}

export function renderTable(result) {
  const data = rows(result);
  if (!data.length) return '(no cells measured)';
  const cols = Object.keys(data[0]);
  const width = Object.fromEntries(cols.map((k) => [k, Math.max(k.length, ...data.map((r) => r[k].length))]));
  const line = (r) => cols.map((k) => r[k].padEnd(width[k])).join('  ');
  return [line(Object.fromEntries(cols.map((k) => [k, k]))), ...data.map(line)].join('\n');
}

function mdTable(data) {
  if (!data.length) return '';
  const cols = Object.keys(data[0]);
  return [`| ${cols.join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`, ...data.map((r) => `| ${cols.map((k) => r[k]).join(' | ')} |`)].join('\n');
}

export function renderMarkdown(result) {
  const m = result.machine;
  const o = result.options;
  const lines = [];
  lines.push(`**Run ${result.startedAt}** — \`${result.command}\``);
  lines.push('');
  lines.push(`Machine: ${m.cpuModel}, ${m.cpus} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, Postgres ${m.postgres}. ` +
    (m.pinning.pinned ? `Load generator on CPU ${m.pinning.loadGenerator}, gateway on CPU ${m.pinning.gateway}, subgraphs/Postgres/Redis unpinned.` : 'No CPU pinning.'));
  lines.push(`Runs: ${o.duration} s each at ${o.connections.join('/')} connections, ${o.reps} repetition(s), median shown (min-max of req/s in brackets); ${o.warmup} s warm-up per scenario and gateway; ${result.interleaved ? 'every gateway up at once, each repetition taken in turn round them, each run after one pass of its rotation' : 'one gateway at a time'}; seed scale ${o.seedScale}.`);
  lines.push('');
  const ratioRows = [];
  for (const mode of [...new Set(result.cells.map(modeOf))]) {
    const inMode = result.cells.filter((c) => modeOf(c) === mode);
    for (const s of [...new Set(inMode.map((c) => c.scenario))]) {
      for (const c of [...new Set(inMode.filter((x) => x.scenario === s).map((x) => x.connections))]) {
        ratioRows.push({
          mode, scenario: s, conns: String(c),
          'ours/stock': f(ratio(result, s, c, 'stock', mode), 2),
          'ours/Hive': f(ratio(result, s, c, 'hive', mode), 2),
          'ours/Hive router-runtime': f(ratio(result, s, c, 'hive-router-runtime', mode), 2),
        });
      }
    }
  }
  lines.push('Gateways: ' + result.gateways.map((g) => `\`${g.key}\` ${g.label}`).join('; ') + '.');
  lines.push('');
  lines.push('Modes: `full-stack`, the real subgraphs on Postgres and Redis; `gateway-only`, a replay server answers every fetch with the bytes the real subgraph gave for the same body (recorded in the warm-up pass), so the gateway is the only thing measured; "replay misses/req" counts fetches the replay had to forward to the real subgraphs while measuring (should be 0).');
  lines.push('');
  lines.push('Throughput ratios (same run):');
  lines.push('');
  lines.push(mdTable(ratioRows));
  lines.push('');
  lines.push(mdTable(rows(result)));
  lines.push('');
  lines.push('SQL/req and fetches/req are summed over the four subgraphs; fetches/req counts gateway→subgraph HTTP requests (subgraph-to-subgraph `_entities` calls are excluded). Per subgraph SQL/req:');
  lines.push('');
  lines.push(mdTable(result.cells.filter((c) => modeOf(c) === 'full-stack').map((c) => ({ scenario: c.scenario, conns: String(c.connections), gateway: c.gateway, 'SQL/req by subgraph': sqlText(c.summary), 'internal fetches/req': f(c.summary.internalFetchesPerRequest, 2), 'subgraph bytes/req': f(c.summary.subgraphBytesPerRequest, 0), 'response bytes': f(c.summary.responseBytes, 0) }))));
  lines.push('');
  if (result.wireBytes?.length) {
    lines.push('Bytes on the wire per scenario (one answer each, its first variables; gzip and Brotli as the gateway sends them for `Accept-Encoding: gzip` / `br`), and the CPU one compression of that answer costs (the middleware\'s settings: gzip level 6, Brotli quality 4; mean of 50 in the bench process):');
    lines.push('');
    lines.push(mdTable(result.wireBytes.map((w) => ({
      scenario: w.scenario, raw: f(w.rawBytes, 0), gzip: `${f(w.gzipBytes, 0)} (${f((100 * w.gzipBytes) / w.rawBytes, 0)}%)`, br: `${f(w.brBytes, 0)} (${f((100 * w.brBytes) / w.rawBytes, 0)}%)`,
      'gzip CPU µs': f(w.gzipMicros, 0), 'br CPU µs': f(w.brMicros, 0),
    }))));
    lines.push('');
  }
  const sqlRows = [];
  for (const [g, info] of Object.entries(result.perGateway)) {
    for (const [shape, v] of Object.entries(info.sqlPerHomeScreen ?? {})) {
      sqlRows.push({ gateway: g, shape, 'SQL per request by subgraph': Object.entries(v.sql).map(([n, x]) => `${SHORT[n] ?? n} ${f(x, 1)}`).join(', '), total: f(Object.values(v.sql).reduce((a, b) => a + b, 0), 1), 'fetches/req': f(v.fetches, 1), errors: String(v.errors) });
    }
  }
  if (sqlRows.length) {
    lines.push('SQL statements per HomeScreen, cache flushed, one request at a time for profiles not seen before (the mean of several such requests, after one priming request):');
    lines.push('');
    lines.push(mdTable(sqlRows));
    lines.push('');
  }
  for (const [k, why] of Object.entries(result.skipped)) lines.push(`- **${k} skipped**: ${why}`);
  for (const [g, info] of Object.entries(result.perGateway)) {
    if (info.consistencyErrors.length) lines.push(`- **${g}: ${info.consistencyErrors.length} consistency problem(s)**: ${info.consistencyErrors.slice(0, 3).join('; ')}`);
  }
  const errored = result.cells.filter((c) => c.summary.errors);
  for (const c of errored) lines.push(`- **${c.summary.errors} error(s)** ${c.gateway} ${c.scenario} c=${c.connections}: ${JSON.stringify(c.summary.errorSamples).slice(0, 400)}`);
  for (const c of result.cells.filter((c) => c.summary.replayMissSamples?.length)) {
    lines.push(`- **replay misses** (fetches the replay forwarded to the real subgraph while measuring) ${c.gateway} ${c.scenario} c=${c.connections}: ${c.summary.replayMissSamples.slice(0, 3).join('; ').slice(0, 400)}`);
  }
  if (!errored.length && Object.values(result.perGateway).every((i) => !i.consistencyErrors.length)) lines.push('- Every response was checked (status 200, no `errors`, expected shape; the same fixed requests gave identical JSON through every gateway): no errors.');
  return `${lines.join('\n')}\n`;
}
