import { readFileSync, writeFileSync } from 'node:fs';
import { cliOptions } from '../cliOptions';
import { mergeUsage, parseUsageFile, usageFromMetricsText, type FieldUsageEntry } from './fieldUsage';

/**
 * Where the gateway serves its metrics: the admin listener on loopback (`METRICS_PORT`, 9464),
 * away from the public port, so the export runs on the gateway's host (or through a tunnel).
 */
export function defaultMetricsUrl(env: Record<string, string | undefined> = process.env): string {
  return `http://127.0.0.1:${env.METRICS_PORT || 9464}/metrics`;
}

const USAGE = `npm run usage:export -- [--metrics-url <url>]... [--file <file>]... [--out <file>]

Writes the gateway's per-client field usage to a JSON file for npm run schema:check --usage.
  --metrics-url  a gateway's /metrics (repeat for several instances); default ${defaultMetricsUrl()}
                 (METRICS_PORT sets the port) when no --file is given
  --file         a saved /metrics text, or an earlier export to carry forward (repeatable)
  --out          where to write; default field-usage.json`;

/** `npm run usage:export`: reads every source, merges them, writes the file. Exit 1 on a bad source. */
export async function main(argv: string[]): Promise<number> {
  const parsed = cliOptions(argv, {
    'metrics-url': { type: 'string', multiple: true },
    file: { type: 'string', multiple: true },
    out: { type: 'string', default: 'field-usage.json' },
  }, USAGE);
  if ('exit' in parsed) return parsed.exit;
  const options = parsed.values;
  const files = options.file ?? [];
  const urls = options['metrics-url'] ?? (files.length === 0 ? [defaultMetricsUrl()] : []);
  const parts: Array<{ source: string; fields: FieldUsageEntry[] }> = [];
  try {
    for (const url of urls) parts.push({ source: url, fields: usageFromMetricsText(await scrape(url)) });
    for (const file of files) parts.push({ source: file, fields: usageFromSavedFile(file) });
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  }
  const usage = mergeUsage(new Date(), parts);
  writeFileSync(options.out!, `${JSON.stringify(usage, null, 2)}\n`);
  const clients = new Set(usage.fields.map((f) => f.client));
  console.error(`wrote ${options.out}: ${usage.fields.length} field/client pairs, ${clients.size} clients, from ${usage.sources.join(', ')}`);
  return 0;
}

async function scrape(url: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new Error(
      `can't read ${url} (${(err as Error).cause ?? (err as Error).message}): is the gateway running there? ` +
        'Its metrics are on the admin listener (METRICS_PORT, default 9464, loopback only); pass --metrics-url for another address or --file for a saved scrape.',
    );
  }
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}: not a metrics endpoint?`);
  return response.text();
}

/** A saved scrape is Prometheus text; an earlier export is our JSON (it starts with `{`). */
function usageFromSavedFile(file: string): FieldUsageEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`can't read ${file}: ${(err as Error).message}`);
  }
  return text.trimStart().startsWith('{') ? parseUsageFile(text, file).fields : usageFromMetricsText(text);
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => process.exit(code));
