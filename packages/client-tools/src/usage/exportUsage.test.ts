import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { metricsRegistry } from '@streaming/platform';
import { parse } from 'graphql';
import { composeApiSchema } from '@streaming/gateway/dist/composeSupergraph';
import { FieldUsage } from '@streaming/gateway/dist/telemetry/fieldUsage';
import { defaultMetricsUrl, main } from './exportUsage';
import { mergeUsage, parseUsageFile, usageFromMetricsText } from './fieldUsage';

/**
 * `npm run usage:export` reads what the gateway's own field-usage counters expose: the series
 * here are recorded by the gateway's FieldUsage into the process registry it serves at /metrics.
 */
let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'usage-export-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function gatewayMetricsText(): Promise<string> {
  const usage = new FieldUsage();
  const schema = composeApiSchema();
  usage.record(schema, parse('query { title(id: "t-1") { name artwork(type: BOXART) { url } } }'), 'ios');
  usage.record(schema, parse('query { title(id: "t-1") { name } }'), 'web "beta"');
  return metricsRegistry.metrics();
}

it('reads per-client counts and last use from the gateway\'s /metrics text (label escapes included)', async () => {
  const before = Date.now();
  const entries = usageFromMetricsText(await gatewayMetricsText());
  const byKey = Object.fromEntries(entries.map((e) => [`${e.coordinate} ${e.client}`, e]));
  expect(Object.keys(byKey).sort()).toEqual(['Artwork.url ios', 'Query.title ios', 'Query.title web "beta"', 'Title.artwork ios', 'Title.name ios', 'Title.name web "beta"']);
  expect(byKey['Title.name ios']).toMatchObject({ count: 1, lastUsedAt: expect.any(String) });
  expect(Date.parse(byKey['Title.name ios'].lastUsedAt!)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
});

it('refuses a malformed sample rather than reading it as unused', () => {
  expect(() => usageFromMetricsText('graphql_field_usage_total{type="Query",field="title" 3\n')).toThrow(/malformed labels|not a Prometheus sample/);
});

it('merges sources: counts add up, the latest use wins', () => {
  const merged = mergeUsage(new Date('2026-11-01T00:00:00Z'), [
    { source: 'a', fields: [{ coordinate: 'Title.name', client: 'ios', count: 2, lastUsedAt: '2026-10-01T00:00:00.000Z' }] },
    { source: 'b', fields: [{ coordinate: 'Title.name', client: 'ios', count: 3, lastUsedAt: '2026-10-20T00:00:00.000Z' }, { coordinate: 'Title.id', client: 'web', count: 1 }] },
  ]);
  expect(merged).toEqual({
    format: 'streaming-field-usage', version: 1, exportedAt: '2026-11-01T00:00:00.000Z', sources: ['a', 'b'],
    fields: [{ coordinate: 'Title.id', client: 'web', count: 1 }, { coordinate: 'Title.name', client: 'ios', count: 5, lastUsedAt: '2026-10-20T00:00:00.000Z' }],
  });
});

describe('npm run usage:export', () => {
  const quiet = () => [jest.spyOn(console, 'error').mockImplementation(() => undefined), jest.spyOn(console, 'log').mockImplementation(() => undefined)];

  it('scrapes a /metrics URL and carries an earlier export forward', async () => {
    const text = await gatewayMetricsText();
    const server = http.createServer((_req, res) => res.end(text));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    const earlier = path.join(dir, 'earlier.json');
    writeFileSync(earlier, JSON.stringify(mergeUsage(new Date('2026-01-01T00:00:00Z'), [{ source: 'old', fields: [{ coordinate: 'Title.synopsis', client: 'tv', count: 9, lastUsedAt: '2025-12-30T00:00:00.000Z' }] }])));
    const out = path.join(dir, 'usage.json');
    const spies = quiet();
    try {
      expect(await main(['--metrics-url', url, '--file', earlier, '--out', out])).toBe(0);
    } finally {
      spies.forEach((s) => s.mockRestore());
      server.close();
    }
    const usage = parseUsageFile(readFileSync(out, 'utf8'), out);
    expect(usage.sources).toEqual([url, earlier]);
    expect(usage.fields.map((f) => `${f.coordinate} ${f.client}`)).toEqual(expect.arrayContaining(['Title.synopsis tv', 'Title.name ios', 'Artwork.url ios']));
  });

  it('says where metrics are expected when the gateway cannot be reached', async () => {
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((m) => void errors.push(String(m)));
    try {
      expect(await main(['--metrics-url', 'http://127.0.0.1:9/metrics', '--out', path.join(dir, 'never.json')])).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(errors.join('\n')).toMatch(/can't read http:\/\/127\.0\.0\.1:9\/metrics.*admin listener \(METRICS_PORT, default 9464, loopback only\)/);
  });

  it('defaults to the admin listener on loopback, METRICS_PORT or 9464', () => {
    expect(defaultMetricsUrl({})).toBe('http://127.0.0.1:9464/metrics');
    expect(defaultMetricsUrl({ METRICS_PORT: '9999' })).toBe('http://127.0.0.1:9999/metrics');
  });
});
