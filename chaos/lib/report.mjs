// Per-fault numbers from the recorded responses, the targets of issue 9 (and of issue 18 for
// one replica killed), and the table/markdown.
import { IDEMPOTENT } from './load.mjs';
import { serviceOf } from './stack.mjs';

const isGateway = (name) => serviceOf(name) === 'gateway';

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function latency(records) {
  const ms = records.map((r) => r.ms).sort((a, b) => a - b);
  return { n: ms.length, p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms.at(-1) ?? null };
}

function shares(records) {
  const n = records.length;
  const count = (cls) => records.filter((r) => r.cls === cls).length;
  const refused = count('refused');
  // A CONCURRENT_STREAM_LIMIT refusal is the correct answer: it counts as complete.
  const complete = count('complete') + refused;
  const degraded = count('degraded');
  const failed = count('failed');
  const pct = (x) => (n ? (100 * x) / n : null);
  return { n, complete, degraded, failed, refused, completePct: pct(complete), degradedPct: pct(degraded), failedPct: pct(failed) };
}

const completeFromStale = (r) => r.status === 200 && r.cls !== 'failed' && r.codes.length === 0 && (r.degradedBy ?? []).every((s) => s === 'catalog');

const good = (r) => r.cls === 'complete' || r.cls === 'refused';

/**
 * Seconds from the fault's end to the first moment after which every response is complete
 * (by send time); null when responses were still not complete at the end of the window.
 */
function recoverySeconds(records, endAt) {
  const after = records.filter((r) => r.t >= endAt).sort((a, b) => a.t - b.t);
  let lastBad = -1;
  after.forEach((r, i) => { if (!good(r)) lastBad = i; });
  if (lastBad < 0) return 0;
  if (lastBad === after.length - 1) return null;
  return (after[lastBad + 1].t - endAt) / 1000;
}

function topCodes(records) {
  const counts = {};
  for (const r of records) {
    if (good(r)) continue;
    const labels = r.codes.length ? [...r.codes] : [];
    if (r.degradedBy) labels.push(`degraded:${r.degradedBy.join('+')}`);
    if (r.status !== 200) labels.push(`HTTP ${r.status}`);
    for (const c of labels.length ? labels : ['no data']) counts[c] = (counts[c] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 6));
}

export function faultMetrics(fault, records, { crashes, subgraphTimeoutMs, retried = [] }) {
  const inWin = (a, b) => records.filter((r) => r.t >= a && r.t < b);
  const before = inWin(fault.baselineAt, fault.injectAt);
  const during = inWin(fault.injectAt, fault.endAt);
  const recovery = inWin(fault.endAt, fault.recoveryEndAt);
  const span = inWin(fault.baselineAt, fault.recoveryEndAt);
  const homeDuring = during.filter((r) => r.op === 'HomeScreen');
  const warmHome = homeDuring.filter((r) => r.warm);
  const pct = (x, n) => (n ? (100 * x) / n : null);
  const byOp = {};
  for (const r of during) (byOp[r.op] ??= []).push(r);
  const m = {
    name: fault.name,
    description: fault.description,
    windows: { baselineS: (fault.injectAt - fault.baselineAt) / 1000, faultS: (fault.endAt - fault.injectAt) / 1000, recoveryS: (fault.recoveryEndAt - fault.endAt) / 1000 },
    before: { ...shares(before), latency: latency(before) },
    during: { ...shares(during), latency: latency(during), failureCodes: topCodes(during) },
    recovery: { ...shares(recovery), latency: latency(recovery), failureCodes: topCodes(recovery) },
    duringByOp: Object.fromEntries(Object.entries(byOp).map(([op, rs]) => [op, { ...shares(rs), latency: latency(rs) }])),
    homeRowsRenderedPct: pct(homeDuring.filter((r) => r.rows).length, homeDuring.length),
    warmHomeRowsRenderedPct: pct(warmHome.filter((r) => r.rows).length, warmHome.length),
    warmHomeCompletePct: pct(warmHome.filter((r) => r.cls === 'complete').length, warmHome.length),
    // The catalog target: complete from stale entities. Serving a stale entity is flagged
    // `degraded: ["catalog"]`, so that flag (and only it) is allowed; any error is not.
    warmHomeCompleteFromStalePct: pct(warmHome.filter(completeFromStale).length, warmHome.length),
    homeScreensDuring: homeDuring.length,
    warmHomeScreensDuring: warmHome.length,
    http5xx: span.filter((r) => r.status >= 500).length,
    transportErrors: span.filter((r) => r.status === 0).length,
    // Queries answered with no data or not at all (after the client's one retry, in replicas mode).
    idempotentFailed: span.filter((r) => IDEMPOTENT.has(r.op) && r.cls === 'failed').length,
    clientRetries: retried.filter((r) => r.t >= fault.baselineAt && r.t < fault.recoveryEndAt).length,
    gatewayCrashes: crashes.filter((c) => isGateway(c.name) && c.at >= fault.baselineAt && c.at < fault.recoveryEndAt).length,
    otherCrashes: crashes.filter((c) => !isGateway(c.name) && c.at >= fault.baselineAt && c.at < fault.recoveryEndAt).map((c) => `${c.name} (${c.exit})`),
    recoveryS: recoverySeconds(span, fault.endAt),
    notes: fault.notes ?? [],
  };
  m.targets = targetsFor(fault, m, subgraphTimeoutMs);
  m.targetsMet = m.targets.every((t) => t.met);
  return m;
}

function targetsFor(fault, m, subgraphTimeoutMs) {
  const t = [];
  const p99Bound = subgraphTimeoutMs * 1.2;
  if ((fault.kind === 'kill' || fault.kind === 'freeze') && fault.target === 'recommendation') {
    t.push({ target: 'home screens render rows >= 99%', value: m.homeRowsRenderedPct, met: m.homeRowsRenderedPct !== null && m.homeRowsRenderedPct >= 99 });
  }
  if (fault.kind === 'kill' && fault.target === 'catalog') {
    t.push({ target: 'warm home screens complete from stale entities >= 99%', value: m.warmHomeCompleteFromStalePct, met: m.warmHomeCompleteFromStalePct !== null && m.warmHomeCompleteFromStalePct >= 99 });
  }
  if (fault.kind === 'kill-one') {
    // Issue 18: with a second instance of everything, losing one fails no query: the gateway
    // retries a subgraph fetch, the client a request to a gateway, and the balancer sends both
    // to the instance still up.
    t.push({ target: 'zero failed queries (HomeScreen, TitleDetails)', value: m.idempotentFailed, met: m.idempotentFailed === 0 });
  }
  t.push({ target: 'zero HTTP 5xx', value: m.http5xx, met: m.http5xx === 0 });
  t.push({ target: 'zero gateway crashes', value: m.gatewayCrashes, met: m.gatewayCrashes === 0 });
  t.push({ target: `p99 during <= ${p99Bound} ms`, value: m.during.latency.p99, met: m.during.latency.p99 !== null && m.during.latency.p99 <= p99Bound });
  t.push({ target: 'recovery <= 5 s', value: m.recoveryS, met: m.recoveryS !== null && m.recoveryS <= 5 });
  return t;
}

const f1 = (x) => (x === null || x === undefined ? 'n/a' : x.toFixed(1));
const ms = (x) => (x === null || x === undefined ? 'n/a' : String(Math.round(x)));

function unmet(m) {
  return m.targets.filter((t) => !t.met).map((t) => {
    const v = typeof t.value === 'number' ? (Number.isInteger(t.value) ? t.value : t.value.toFixed(1)) : t.value === null ? 'n/a' : t.value;
    return `${t.target} (${v})`;
  });
}

export function tableRows(faults) {
  return faults.map((m) => [
    m.name,
    f1(m.during.completePct),
    f1(m.during.degradedPct),
    f1(m.during.failedPct),
    String(m.http5xx),
    `${ms(m.before.latency.p50)}/${ms(m.before.latency.p99)} → ${ms(m.during.latency.p50)}/${ms(m.during.latency.p99)}`,
    m.recoveryS === null ? `> ${m.windows.recoveryS}` : f1(m.recoveryS),
    m.targetsMet ? 'yes' : `no: ${unmet(m).join('; ')}`,
  ]);
}

const HEAD = ['fault', 'complete %', 'degraded %', 'failed %', '5xx', 'p50/p99 ms before → during', 'recovery s', 'targets met?'];

export function renderTable(faults) {
  const rows = [HEAD, ...tableRows(faults)];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join(' | ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join('\n');
}

export function renderMarkdownTable(faults) {
  const esc = (s) => s.replace(/\|/g, '\\|');
  return [`| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => '---').join('|')}|`, ...tableRows(faults).map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

export function renderAudit(audit) {
  const p = audit.positions;
  const e = audit.events;
  const l = audit.streamLimits;
  const c = audit.consumers;
  const lines = [
    ...(c && Object.keys(c.byInstance).length > 1 ? [`- events handled per ${c.group} instance: ${Object.entries(c.byInstance).map(([i, n]) => `${i} ${n}`).join(', ')} (${c.shared ? 'shared' : 'NOT shared'})`] : []),
    `- final positions: ${p.stopsAcknowledged} acknowledged stops checked, ${p.lost.length} missing, ${p.mismatched.length} with another position` +
      ` (${p.started} sessions started; ${p.stopsNotAcknowledged} stops not acknowledged${p.stopsNotAcknowledged ? `: ${JSON.stringify(p.stopsNotAcknowledgedBy)}` : ''})`,
    ...(e.startsUnknownToClient ? [`- ${e.startsUnknownToClient} session(s) started (PlaybackStarted published) whose startPlayback answer reached the client as an error without a session (failed starts by code: ${JSON.stringify(e.failedStartsByCode)})`] : []),
    `- events: ${e.eventsApplied} applied during the run (${JSON.stringify(e.appliedByType)}); views added ${e.viewsAdded} for ${e.startedEventsApplied} PlaybackStarted applied` +
      ` → doubled: ${e.doubled}${e.auditable ? '' : ` (lower bound: ${e.note})`}; seen in the stream but not applied: ${e.seenButNotApplied}` +
      `${e.seenButNotApplied ? ` ${JSON.stringify(e.seenButNotAppliedByType)}` : ''}; published twice: ${e.publishedTwice}; consumer drained: ${e.consumerDrained ? 'yes' : `no (${e.consumerState})`}`,
    `- stream limits: ${l.startsAdmitted} starts admitted, ${l.startsRefused} refused with CONCURRENT_STREAM_LIMIT, ${l.violations.length} admitted over the plan's limit` +
      `${l.refusalsWithWrongLimit ? `, ${l.refusalsWithWrongLimit} refusals quoting a limit other than the plan's` : ''}`,
  ];
  return lines.join('\n');
}

export function renderMarkdown(result) {
  const out = [];
  out.push(`# Chaos run ${result.startedAt}`);
  out.push('');
  out.push(`Command: \`${result.command}\` · wall time ${result.wallSeconds.toFixed(0)} s · ${result.machine}`);
  out.push(`Load: ${result.options.vus.home} HomeScreen VUs (1 in ${result.options.coldEvery} a never-seen profile), ${result.options.vus.title} TitleDetails, ${result.options.vus.playback} playback (start, 3 heartbeats, stop); ` +
    `windows ${result.options.baselineS} s baseline, ${result.options.faultS} s fault, ${result.options.recoveryS} s recovery; SUBGRAPH_TIMEOUT_MS ${result.options.subgraphTimeoutMs}.` +
    (result.options.replicas > 1 ? ` ${result.options.replicas} gateways and ${result.options.replicas} instances of each subgraph, each service behind a round-robin TCP balancer; the client sends a query once more after a broken connection.` : ''));
  out.push('');
  out.push(renderMarkdownTable(result.faults));
  out.push('');
  out.push('Shares are over the responses sent during the fault; a CONCURRENT_STREAM_LIMIT refusal counts as complete. ' +
    'Recovery: seconds from the fault\'s end to the first moment after which every response is complete.');
  out.push('');
  out.push('## Data audit');
  out.push('');
  out.push(renderAudit(result.audit));
  out.push(`- result: ${result.audit.passed ? 'passed' : `FAILED (${result.audit.failures.join('; ')})`}`);
  out.push('');
  out.push('## Per fault');
  for (const m of result.faults) {
    out.push('');
    out.push(`### ${m.name}: ${m.description}`);
    out.push('');
    out.push(`- during: ${m.during.n} responses; home screens ${m.homeScreensDuring} (rows rendered ${f1(m.homeRowsRenderedPct)} %; warm ${m.warmHomeScreensDuring}: complete ${f1(m.warmHomeCompletePct)} %, complete but for the stale-catalog flag ${f1(m.warmHomeCompleteFromStalePct)} %, rows ${f1(m.warmHomeRowsRenderedPct)} %)`);
    out.push(`- by operation during: ${Object.entries(m.duringByOp).map(([op, s]) => `${op} ${s.n} (${f1(s.completePct)}/${f1(s.degradedPct)}/${f1(s.failedPct)} %, p99 ${ms(s.latency.p99)} ms)`).join('; ')}`);
    if (Object.keys(m.during.failureCodes).length) out.push(`- not complete during, by code: ${JSON.stringify(m.during.failureCodes)}`);
    if (Object.keys(m.recovery.failureCodes).length) out.push(`- not complete after the fault ended, by code: ${JSON.stringify(m.recovery.failureCodes)}`);
    if (m.clientRetries) out.push(`- queries the client sent again after a broken connection: ${m.clientRetries}`);
    if (m.otherCrashes.length) out.push(`- processes that exited on their own: ${m.otherCrashes.join(', ')}`);
    for (const n of m.notes) out.push(`- ${n}`);
    const miss = unmet(m);
    out.push(`- targets: ${miss.length ? `not met: ${miss.join('; ')}` : 'all met'}`);
  }
  return `${out.join('\n')}\n`;
}
