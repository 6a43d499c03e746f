import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { subgraphsOnDisk } from '@streaming/gateway/dist/composeSupergraph';
import { cliOptions } from '../cliOptions';
import { parseUsageFile, type FieldUsageFile } from '../usage/fieldUsage';
import { formatReport } from './formatReport';
import type { Approval, OperationSource } from './judgeChanges';
import { runSchemaCheck } from './runSchemaCheck';
import { resolveBase } from './schemaBase';

const ROOT = path.resolve(__dirname, '../../../..');
export const DEFAULT_WINDOW_DAYS = 30;

const USAGE = `npm run schema:check -- [--base <ref>] [--usage <file>] [--window <days>] [--approvals <file>] [--json]

Compares the subgraph schemas (working tree) and their composed API schema with a base, and
judges each breaking change by the registered operations and the clients that use it.
  --base       git ref to compare with; default: HEAD if the working tree changes a schema, else the
               parent of the newest first-parent commit that changed one
  --usage      field usage written by npm run usage:export
  --window     days of usage (before the export) that count; default ${DEFAULT_WINDOW_DAYS}
  --approvals  breaking changes accepted on purpose; default schema-approvals.json
  --json       the result as JSON on stdout
Exit 0: passed or skipped; 1: failed; 2: bad arguments.`;

/** `npm run schema:check`. */
export async function main(argv: string[], cwd = ROOT): Promise<number> {
  const parsed = cliOptions(argv, {
    base: { type: 'string' },
    usage: { type: 'string' },
    window: { type: 'string', default: String(DEFAULT_WINDOW_DAYS) },
    approvals: { type: 'string' },
    json: { type: 'boolean', default: false },
  }, USAGE);
  if ('exit' in parsed) return parsed.exit;
  const options = parsed.values;
  const windowDays = Number(options.window);
  if (!Number.isFinite(windowDays) || windowDays < 0) {
    console.error(`--window must be a number of days, got "${options.window}"`);
    return 2;
  }
  let usage: FieldUsageFile | undefined;
  let approvals: Approval[];
  let base;
  try {
    usage = options.usage ? parseUsageFile(readFileSync(options.usage, 'utf8'), options.usage) : undefined;
    approvals = readApprovals(options.approvals ?? path.join(cwd, 'schema-approvals.json'), options.approvals !== undefined);
    base = resolveBase(cwd, options.base);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  if (base.kind === 'skip') {
    if (options.json) console.log(JSON.stringify({ skipped: base.reason, pass: true }));
    else console.log(base.reason);
    return 0;
  }
  const result = await runSchemaCheck({
    base, subgraphs: subgraphsOnDisk(), operations: registeredOperations(cwd), usage, windowDays, approvals,
  });
  console.log(options.json ? JSON.stringify(result, null, 2) : formatReport(result));
  return result.pass ? 0 : 1;
}

/** The operations the gateway enforces: its persisted-query manifest. */
export function registeredOperations(cwd: string): OperationSource[] {
  const manifest = JSON.parse(readFileSync(path.join(cwd, 'gateway/persisted-query-manifest.json'), 'utf8')) as { operations: Array<{ name: string; body: string }> };
  return manifest.operations.map(({ name, body }) => ({ name, body }));
}

function readApprovals(file: string, required: boolean): Approval[] {
  if (!existsSync(file)) {
    if (required) throw new Error(`--approvals ${file} does not exist`);
    return [];
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { approvals?: Approval[] };
  if (!Array.isArray(parsed.approvals) || parsed.approvals.some((a) => typeof a.change !== 'string' || typeof a.reason !== 'string' || a.reason.trim() === '')) {
    throw new Error(`${file} must be {"approvals": [{"change": "<TYPE>:<path>", "reason": "why this break is acceptable"}]}`);
  }
  return parsed.approvals;
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => process.exit(code));
