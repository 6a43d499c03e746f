import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAnswer } from './compare';
import { DifferentialHarness, type Executor, type Outcome } from './harness';
import { knownStockBug } from './knownStockBugs';
import { pool } from './pool';
import { formatDivergence } from './report';

export interface CorpusSettings {
  seed: number;
  /** Generated documents (the committed operations come on top). */
  count: number;
  /** Divergences printed in full. */
  show: number;
  executor: Executor;
  /** Documents in flight at once. */
  concurrency: number;
  fetchTimeoutMs: number;
  /** Where every divergence is written in full. */
  reportFile: string;
  /** Only these generated documents (by index), for reproducing one; all of 0..count-1 when absent. */
  only?: number[];
  /** Whether the committed operations run too. @default true */
  committed: boolean;
  /** Prints progress on stderr every so many documents (0: never). */
  progressEvery: number;
}

export function corpusSettingsFromEnv(env: Record<string, string | undefined> = process.env): CorpusSettings {
  const number = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got ${env[name]}`);
    return value;
  };
  const executor = (env.DIFFTEST_EXECUTOR ?? 'ours') as Executor;
  if (executor !== 'ours' && executor !== 'stock') throw new Error(`DIFFTEST_EXECUTOR must be ours or stock, got ${executor}`);
  const seed = number('DIFFTEST_SEED', 1);
  return {
    seed,
    count: number('DIFFTEST_COUNT', 1_000),
    show: number('DIFFTEST_SHOW', 3),
    executor,
    concurrency: Math.max(1, number('DIFFTEST_CONCURRENCY', 4)),
    fetchTimeoutMs: number('DIFFTEST_TIMEOUT_MS', 3_000),
    reportFile: env.DIFFTEST_REPORT ?? path.resolve(__dirname, `../../.data/difftest/divergences-seed-${seed}.txt`),
    only: env.DIFFTEST_ONLY ? env.DIFFTEST_ONLY.split(',').map((v) => Number(v.trim().replace(/^gen-/, ''))) : undefined,
    committed: env.DIFFTEST_COMMITTED !== 'false',
    progressEvery: number('DIFFTEST_PROGRESS', 0),
  };
}

export interface CorpusResult {
  documents: number;
  committed: number;
  generated: number;
  divergences: Outcome[];
  /** Divergences that are a documented bug of stock's (knownStockBugs.ts), by bug id. */
  knownStockBugs: Record<string, number>;
  /** The replay proxy's own failures: a harness bug each. */
  proxyFailures: string[];
  /** Divergent documents' reports, in full, as written to the report file. */
  reports: string[];
  /** Documents that needed a rerun because a first recording or the machine was slow. */
  rerun: number;
  /** Documents whose fetches timed out without a fault three times over (see Outcome.inconclusive): neither a pass nor a divergence. */
  inconclusive: string[];
  /** How often each fault was injected (request faults by kind, item faults by kind). */
  faults: Record<string, number>;
  /** Answers that had data, that had errors (either gateway's, counted once per document). */
  withData: number;
  withErrors: number;
  /** Generated documents the gateways found invalid (the generator's bug: there must be none). */
  invalid: string[];
  /** Documents for which only one of the gateways asked the subgraphs anything (a wiring bug: there must be none). */
  oneSided: string[];
  seconds: number;
}


/** Runs the committed operations, then `count` generated documents, through both gateways of `harness`. */
export async function runCorpus(harness: DifferentialHarness, settings: CorpusSettings, progress?: (done: number) => void): Promise<CorpusResult> {
  const started = Date.now();
  const result: CorpusResult = { documents: 0, committed: 0, generated: 0, divergences: [], knownStockBugs: {}, proxyFailures: [], reports: [], rerun: 0, faults: {}, withData: 0, withErrors: 0, invalid: [], oneSided: [], inconclusive: [], seconds: 0 };
  const take = (outcome: Outcome, committed: boolean) => {
    result.documents += 1;
    if (committed) result.committed += 1;
    else result.generated += 1;
    if (outcome.attempts > 1) result.rerun += 1;
    if (outcome.inconclusive) result.inconclusive.push(outcome.document.id);
    else if (outcome.differences.length > 0) {
      const bug = knownStockBug(outcome);
      if (bug) result.knownStockBugs[bug.id] = (result.knownStockBugs[bug.id] ?? 0) + 1;
      else result.divergences.push(outcome);
    }
    const body = parseAnswer(outcome.answers[0].body);
    if (body?.data && typeof body.data === 'object') result.withData += 1;
    if (Array.isArray(body?.errors)) result.withErrors += 1;
    if (!committed && body?.errors?.some((e: { extensions?: { code?: string } }) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED')) result.invalid.push(outcome.document.id);
    const asked = outcome.labels.map((label) => outcome.exchanges.some((x) => x.caller.startsWith(`${label}#`)));
    if (asked[0] !== asked[1]) result.oneSided.push(outcome.document.id);
    // Faults as the first gateway met them (the second met the same ones).
    for (const e of outcome.exchanges.filter((x) => x.caller.startsWith(`${outcome.labels[0]}#`))) {
      if (e.fault) result.faults[`request:${e.fault}`] = (result.faults[`request:${e.fault}`] ?? 0) + 1;
      if (e.delayMs > 0 && e.fault !== 'timeout') result.faults['request:slow'] = (result.faults['request:slow'] ?? 0) + 1;
      for (const f of e.itemFaults) {
        const kind = `item:${f.split(': ')[1].split(' ')[0]}`;
        result.faults[kind] = (result.faults[kind] ?? 0) + 1;
      }
    }
    progress?.(result.documents);
    if (settings.progressEvery > 0 && result.documents % settings.progressEvery === 0) {
      process.stderr.write(`difftest: ${result.documents} documents, ${result.divergences.length} divergences, ${((Date.now() - started) / 1_000).toFixed(0)} s\n`);
    }
  };
  if (settings.committed) await harness.runCommittedOperations(settings.concurrency, (outcome) => take(outcome, true));
  const indexes = settings.only ?? Array.from({ length: settings.count }, (_, i) => i);
  await pool(indexes, settings.concurrency, async (index) => take(await harness.run(harness.generated(index)), false));
  result.divergences.sort((a, b) => a.document.id.localeCompare(b.document.id, 'en', { numeric: true }));
  result.reports = result.divergences.map((o) => formatDivergence(o, harness.queryPlan(o.document)));
  if (result.reports.length > 0) {
    mkdirSync(path.dirname(settings.reportFile), { recursive: true });
    writeFileSync(settings.reportFile, `${result.reports.join('\n\n')}\n`);
  } else rmSync(settings.reportFile, { force: true }); // an earlier run's report would mislead
  result.proxyFailures = [...harness.proxy.failures];
  result.seconds = (Date.now() - started) / 1_000;
  return result;
}

/** The run in a few lines: what was compared, how much failed where, how many divergences. */
export function summary(result: CorpusResult, settings: CorpusSettings, labels: [string, string]): string {
  const faults = Object.entries(result.faults).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    `differential test, seed ${settings.seed}: ${result.documents} documents (${result.committed} committed-operation runs, ${result.generated} generated), ${labels[0]} vs ${labels[1]}, in ${result.seconds.toFixed(1)} s (heap ${Math.round(process.memoryUsage().heapUsed / 1_048_576)} MB)`,
    `  answers with data ${result.withData}, with errors ${result.withErrors}; reruns for a slow environment ${result.rerun}; inconclusive (timed out without a fault, 3 times) ${result.inconclusive.length}; invalid generated documents ${result.invalid.length}`,
    `  faults injected: ${faults || 'none'}`,
    `  divergences: ${result.divergences.length}${result.divergences.length ? ` (all in ${settings.reportFile})` : ''}; known bugs of stock's: ${Object.entries(result.knownStockBugs).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}; replay proxy failures: ${result.proxyFailures.length}`,
  ].join('\n');
}
