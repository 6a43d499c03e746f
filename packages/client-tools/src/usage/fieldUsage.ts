/**
 * The field-usage file `npm run usage:export` writes and `npm run schema:check --usage` reads:
 * per schema field and client, how many operations selected it and when one last did, as the
 * gateway counts them (`graphql_field_usage_total`, `graphql_field_last_used_timestamp_seconds`,
 * gateway/src/telemetry/fieldUsage.ts).
 */
export interface FieldUsageFile {
  format: typeof USAGE_FORMAT;
  version: 1;
  /** When the export was made: the check's window ends here. */
  exportedAt: string;
  /** Where the counts came from (metrics URLs, files), for the report. */
  sources: string[];
  fields: FieldUsageEntry[];
}

export interface FieldUsageEntry {
  /** `Type.field`, as the gateway labels it. */
  coordinate: string;
  client: string;
  /** Operations counted since each source's process started, added up over the sources. */
  count: number;
  /** When this client last selected the field (ISO time); absent if no source knew. */
  lastUsedAt?: string;
}

export const USAGE_FORMAT = 'streaming-field-usage';

const USAGE_METRIC = 'graphql_field_usage_total';
const LAST_USED_METRIC = 'graphql_field_last_used_timestamp_seconds';

/**
 * The field-usage series in a Prometheus text exposition (what `/metrics` answers). Other series
 * are skipped; a malformed line is an error, so a truncated scrape never reads as "unused".
 */
export function usageFromMetricsText(text: string): FieldUsageEntry[] {
  const entries = new Map<string, FieldUsageEntry>();
  const entryFor = (labels: Record<string, string>) => {
    const coordinate = `${labels.type}.${labels.field}`;
    const client = labels.client_name ?? 'unknown';
    const key = `${coordinate}\u0000${client}`;
    let entry = entries.get(key);
    if (!entry) entries.set(key, (entry = { coordinate, client, count: 0 }));
    return entry;
  };
  for (const line of text.split('\n')) {
    if (!line.startsWith(USAGE_METRIC) && !line.startsWith(LAST_USED_METRIC)) continue;
    const sample = parseSample(line);
    if (sample.name === USAGE_METRIC) entryFor(sample.labels).count += sample.value;
    else if (sample.name === LAST_USED_METRIC && sample.value > 0) {
      const entry = entryFor(sample.labels);
      const at = new Date(sample.value * 1000).toISOString();
      if (!entry.lastUsedAt || at > entry.lastUsedAt) entry.lastUsedAt = at;
    }
  }
  return [...entries.values()];
}

/** One sample line: `name{label="value",...} 12 [timestamp]`, label values with \\, \" and \n escapes. */
function parseSample(line: string): { name: string; labels: Record<string, string>; value: number } {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(\s+\S+)?\s*$/.exec(line);
  if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
  const labels: Record<string, string> = {};
  const body = match[2] ? match[2].slice(1, -1) : '';
  const label = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/y;
  let at = 0;
  while (at < body.length) {
    label.lastIndex = at;
    const found = label.exec(body);
    if (!found) throw new Error(`malformed labels in: ${line}`);
    labels[found[1]] = found[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    at = label.lastIndex;
  }
  const value = Number(match[3]);
  if (Number.isNaN(value)) throw new Error(`not a number in: ${line}`);
  return { name: match[1], labels, value };
}

/**
 * Several sources in one file: counts add up (each gateway instance counts its own requests), the
 * last use is the latest any source saw. An earlier export fed back in keeps a field's last use
 * across gateway restarts (a restart resets both series); its counts then add to the new ones, so
 * read counts as a size, not an exact total. The check reads only the last use.
 */
export function mergeUsage(exportedAt: Date, parts: Array<{ source: string; fields: FieldUsageEntry[] }>): FieldUsageFile {
  const merged = new Map<string, FieldUsageEntry>();
  for (const part of parts) {
    for (const entry of part.fields) {
      const key = `${entry.coordinate}\u0000${entry.client}`;
      const known = merged.get(key);
      if (!known) merged.set(key, { ...entry });
      else {
        known.count += entry.count;
        if (entry.lastUsedAt && (!known.lastUsedAt || entry.lastUsedAt > known.lastUsedAt)) known.lastUsedAt = entry.lastUsedAt;
      }
    }
  }
  const fields = [...merged.values()].sort((a, b) => a.coordinate.localeCompare(b.coordinate) || a.client.localeCompare(b.client));
  return { format: USAGE_FORMAT, version: 1, exportedAt: exportedAt.toISOString(), sources: parts.map((p) => p.source), fields };
}

/** Reads a usage file, refusing anything else (a metrics dump passed where a usage file goes, say). */
export function parseUsageFile(text: string, source: string): FieldUsageFile {
  let parsed: Partial<FieldUsageFile>;
  try {
    parsed = JSON.parse(text) as Partial<FieldUsageFile>;
  } catch {
    throw new Error(`${source} is not JSON: give a file written by npm run usage:export`);
  }
  if (parsed.format !== USAGE_FORMAT || parsed.version !== 1 || !Array.isArray(parsed.fields) || typeof parsed.exportedAt !== 'string') {
    throw new Error(`${source} is not a field-usage file (format "${USAGE_FORMAT}", version 1): give a file written by npm run usage:export`);
  }
  return parsed as FieldUsageFile;
}
