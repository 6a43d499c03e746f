import { captureLogs } from '@streaming/platform';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '../packages/testing/src/tracing';
// Not in the platform's index: only entry points (and this test) load the tracing SDK.
import { startTracing, stopTracing } from '../packages/platform/src/observability/tracing';
import { familyMovies } from './support/playback';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';

/**
 * What an operator sees of requests: one trace across the gateway and every subgraph, the
 * /metrics series with the right operation and client labels and counts, and an unexpected
 * error logged once, in full, under the request id the client was given.
 * Spans go to an in-memory exporter; everything else is the real supergraph over HTTP.
 */
const exporter = new InMemorySpanExporter();
let sg: TestSupergraph;

beforeAll(async () => {
  startTracing('observability-test', { spanProcessors: [new SimpleSpanProcessor(exporter)], env: {} });
  sg = await startTestSupergraph({ entityCache: true });
});

afterAll(async () => {
  await sg?.stop();
  await stopTracing();
});

interface Sent {
  status: number;
  requestId: string | null;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}

/** A contract operation as the demo-premium account's client sends it (signed in). */
async function send(operationName: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Sent> {
  const token = await sg.tokenFor('demo-premium', { ttlSeconds: 3_600 });
  return sendText(sg.operations[operationName], variables, { authorization: `Bearer ${token}`, ...headers }, operationName);
}

async function sendText(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}, operationName?: string): Promise<Sent> {
  const response = await fetch(sg.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables, operationName }),
  });
  return { status: response.status, requestId: response.headers.get('x-request-id'), body: (await response.json()) as Sent['body'] };
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(new URL('/metrics', url));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

/** The sum of the series matching the labels, or undefined when there is none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const match = /^[^{\s]+(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) continue;
    const found = Object.fromEntries([...(match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) sum = (sum ?? 0) + Number(match[2]);
  }
  return sum;
}

const waitFor = async <T>(check: () => T | undefined, ms = 5_000): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

it('one HomeScreen is one trace across the gateway and all four subgraphs', async () => {
  exporter.reset();
  const sent = await send('HomeScreen', { profileId: 'demo-premium-1' }, { 'apollographql-client-name': 'trace-web' });
  expect(sent.body.errors).toBeUndefined();
  const gatewaySpan = await waitFor(() =>
    exporter.getFinishedSpans().find((s) => s.attributes['graphql.server'] === 'gateway' && s.attributes['graphql.operation.name'] === 'HomeScreen'),
  );
  expect(gatewaySpan.attributes).toMatchObject({ 'graphql.operation.type': 'query', 'graphql.client.name': 'trace-web' });
  const traceId = gatewaySpan.spanContext().traceId;
  const inTrace = await waitFor(() => {
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const servers = new Set(spans.map((s) => s.attributes['graphql.server']).filter(Boolean));
    return servers.size === 5 ? spans : undefined;
  });
  const servers = new Set(inTrace.map((s) => s.attributes['graphql.server']).filter(Boolean));
  expect([...servers].sort()).toEqual(['catalog', 'gateway', 'playback-session', 'profile', 'recommendation']);
  // Apollo Gateway's own spans (validate, plan, one per subgraph fetch) are in the same trace.
  const names = new Set(inTrace.map((s) => s.name));
  for (const name of ['graphql.parse', 'gateway.request', 'gateway.validate', 'gateway.plan', 'gateway.fetch', 'resolve Query._entities', 'resolve Query.profile']) {
    expect(names).toContain(name);
  }
  const batches = inTrace.filter((s: ReadableSpan) => s.name === 'dataloader.batch');
  expect(batches.length).toBeGreaterThan(0);
  expect(batches.every((s) => typeof s.attributes['dataloader.batch_size'] === 'number' && (s.attributes['dataloader.batch_size'] as number) > 0)).toBe(true);
  expect(inTrace.some((s) => s.name === 'cache.lookup' && typeof s.attributes['cache.hits'] === 'number')).toBe(true);
  // Every subgraph's request span descends from the gateway's: the context crossed each fetch.
  const byId = new Map(inTrace.map((s) => [s.spanContext().spanId, s]));
  const descendsFromGateway = (span: ReadableSpan): boolean => {
    for (let at: ReadableSpan | undefined = span; at; at = byId.get(at.parentSpanContext?.spanId ?? '')) {
      if (at === gatewaySpan) return true;
    }
    return false;
  };
  for (const span of inTrace.filter((s) => s.attributes['graphql.server'] && s !== gatewaySpan)) expect(descendsFromGateway(span)).toBe(true);
  // No personal data: the profile id the client sent is in no attribute.
  for (const span of inTrace) expect(JSON.stringify(span.attributes)).not.toMatch(/demo-premium-1|Bearer|eyJ/);
});

it('a playback start, its event and recommendation handling it are one trace; playback counts it', async () => {
  const before = await scrape(sg.subgraphs['playback-session'].url);
  exporter.reset();
  const started = await send('StartPlayback', { input: { profileId: 'demo-premium-3', titleId: familyMovies[0].id, deviceId: 'trace-tv' } });
  expect(started.body.errors).toBeUndefined();
  const gatewaySpan = await waitFor(() =>
    exporter.getFinishedSpans().find((s) => s.attributes['graphql.server'] === 'gateway' && s.attributes['graphql.operation.name'] === 'StartPlayback'),
  );
  const handled = await waitFor(() => exporter.getFinishedSpans().find((s) => s.name === 'recommendation process'), 10_000);
  expect(handled.spanContext().traceId).toBe(gatewaySpan.spanContext().traceId);
  // Playback asked profile and catalog itself (EntityClient), inside the same trace.
  const servers = new Set(exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === gatewaySpan.spanContext().traceId).map((s) => s.attributes['graphql.server']));
  for (const server of ['gateway', 'playback-session', 'profile', 'catalog']) expect(servers).toContain(server);
  const sessionId = started.body.data.startPlayback.id;
  expect((await send('Heartbeat', { input: { sessionId, positionSeconds: 30 } })).body.errors).toBeUndefined();
  expect((await send('StopPlayback', { sessionId, positionSeconds: 31 })).body.errors).toBeUndefined();

  const after = await scrape(sg.subgraphs['playback-session'].url);
  const delta = (name: string, labels: Record<string, string> = {}) => (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
  expect(delta('playback_starts_total', { outcome: 'started' })).toBe(1);
  expect(delta('playback_heartbeats_total')).toBe(1);
  expect(delta('playback_active_sessions')).toBe(0);
  // The consumer span above ended before its count went up, and the scrape came after both.
  expect(delta('events_handled_total', { group: 'recommendation', outcome: 'ok' })).toBeGreaterThan(0);
  expect(sample(after, 'events_stream_length')).toBeGreaterThan(0);
  expect(sample(after, 'events_pending', { group: 'recommendation' })).toBeGreaterThanOrEqual(0);
  expect(sample(after, 'events_consumer_lag_seconds', { group: 'recommendation' })).toBeGreaterThanOrEqual(0);
});

it('serves the gateway\'s /metrics on its admin listener only: the public port answers 404', async () => {
  const publicScrape = await fetch(new URL('/metrics', sg.gatewayUrl));
  expect(publicScrape.status).toBe(404);
  expect(((await publicScrape.json()) as Sent['body']).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  const admin = await scrape(sg.gatewayMetricsUrl);
  expect(admin).toMatch(/^gateway_operations_total\{/m);
  // The door's limit (adaptive, never under 8 by default) and nobody waiting at it between tests.
  expect(sample(admin, 'gateway_concurrency_limit')).toBeGreaterThanOrEqual(8);
  expect(sample(admin, 'gateway_requests_queued')).toBe(0);
  // The admin listener serves nothing else: no GraphQL, no health.
  expect((await fetch(new URL('/', sg.gatewayMetricsUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).status).toBe(404);
  expect((await fetch(new URL('/health/ready', sg.gatewayMetricsUrl))).status).toBe(404);
});

it('keeps a sane client request id, replaces a bad one, and returns it in the header', async () => {
  const kept = await send('ProfilePicker', { accountId: 'demo-premium' }, { 'x-request-id': 'device-42.req-7' });
  expect(kept.requestId).toBe('device-42.req-7');
  const replaced = await send('ProfilePicker', { accountId: 'demo-premium' }, { 'x-request-id': 'not sane\u00e9 <script>' });
  expect(replaced.requestId).toMatch(/^[0-9a-f-]{36}$/);
  const missing = await send('RemoveFromMyList', { profileId: 'nobody', titleId: 'nothing' });
  expect(missing.body.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', requestId: missing.requestId });
});

it('/metrics counts what was sent, per operation and client, on the gateway and a subgraph', async () => {
  const web = { 'apollographql-client-name': 'metrics-web', 'apollographql-client-version': '1.2.3' };
  const ios = { 'apollographql-client-name': 'metrics-ios', 'apollographql-client-version': '9.0' };
  const profileBefore = await scrape(sg.subgraphs.profile.url);
  const statementsBefore = sg.subgraphs.profile.store.statements.total;
  await sg.flushCache();
  for (let i = 0; i < 2; i += 1) expect((await send('HomeScreen', { profileId: 'demo-premium-1' }, web)).body.errors).toBeUndefined();
  expect((await send('ProfilePicker', { accountId: 'demo-premium' }, ios)).body.errors).toBeUndefined();
  expect((await send('RemoveFromMyList', { profileId: 'nobody', titleId: 'nothing' }, ios)).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  expect((await sendText('query { __typename }', {}, ios)).status).toBe(200);
  expect((await sendText('query Sneaky { nope }', {}, ios)).body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  const statements = sg.subgraphs.profile.store.statements.total - statementsBefore;

  const gateway = await scrape(sg.gatewayMetricsUrl);
  const webHome = { operation: 'HomeScreen', type: 'query', client_name: 'metrics-web', client_version: '1.2.3' };
  expect(sample(gateway, 'gateway_operations_total', webHome)).toBe(2);
  expect(sample(gateway, 'gateway_operation_duration_seconds_count', webHome)).toBe(2);
  expect(sample(gateway, 'gateway_operations_total', { operation: 'ProfilePicker', client_name: 'metrics-ios', client_version: '9.0' })).toBe(1);
  expect(sample(gateway, 'gateway_operations_total', { operation: 'RemoveFromMyList', type: 'mutation', client_name: 'metrics-ios' })).toBe(1);
  expect(sample(gateway, 'gateway_operation_errors_total', { operation: 'RemoveFromMyList', client_name: 'metrics-ios', code: 'NOT_FOUND' })).toBe(1);
  expect(sample(gateway, 'gateway_operation_errors_total', { operation: 'ProfilePicker', client_name: 'metrics-ios' })).toBeUndefined();
  // The unnamed query and the invalid one share `unknown`: names count only once valid.
  expect(sample(gateway, 'gateway_operations_total', { operation: 'unknown', client_name: 'metrics-ios' })).toBe(2);
  expect(gateway).not.toContain('operation="Sneaky"');
  expect(sample(gateway, 'gateway_operation_errors_total', { operation: 'unknown', client_name: 'metrics-ios', code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
  // A limit's refusal counts under the limit's code.
  const refusedBefore = sample(gateway, 'gateway_operations_refused_total', { limit: 'MAX_DEPTH_EXCEEDED' }) ?? 0;
  const deep = `query Deep { title(id: "x") { ${'similar(first: 1) { '.repeat(13)}id${' }'.repeat(13)} } }`;
  expect((await sendText(deep, {}, ios)).body.errors?.[0].extensions?.code).toBe('MAX_DEPTH_EXCEEDED');
  expect(sample(await scrape(sg.gatewayMetricsUrl), 'gateway_operations_refused_total', { limit: 'MAX_DEPTH_EXCEEDED' })).toBe(refusedBefore + 1);
  // Field usage per client, and when last used.
  expect(sample(gateway, 'graphql_field_usage_total', { type: 'Query', field: 'profile', client_name: 'metrics-web' })).toBe(2);
  expect(sample(gateway, 'graphql_field_usage_total', { type: 'Title', field: 'genres', client_name: 'metrics-web' })).toBe(2);
  expect(sample(gateway, 'graphql_field_usage_total', { type: 'Query', field: 'profile', client_name: 'metrics-ios' })).toBeUndefined();
  expect(sample(gateway, 'graphql_field_last_used_timestamp_seconds', { type: 'Query', field: 'account', client_name: 'metrics-ios' })).toBeGreaterThan(Date.now() / 1000 - 60);
  // Subgraph fetches and the entity cache: the second HomeScreen's catalog entities were hits.
  for (const subgraph of ['profile', 'catalog', 'recommendation', 'playback-session']) {
    expect(sample(gateway, 'gateway_subgraph_fetch_duration_seconds_count', { subgraph })).toBeGreaterThan(0);
  }
  expect(sample(gateway, 'gateway_entity_cache_lookups_total', { subgraph: 'catalog', result: 'hit' })).toBeGreaterThan(0);
  expect(sample(gateway, 'gateway_entity_cache_lookups_total', { subgraph: 'catalog', result: 'miss' })).toBeGreaterThan(0);
  // Default process metrics.
  expect(gateway).toMatch(/^nodejs_eventloop_lag_seconds /m);
  expect(gateway).toMatch(/^process_resident_memory_bytes /m);

  // The subgraph's SQL count is exactly the statements its store ran.
  const profile = await scrape(sg.subgraphs.profile.url);
  const counted = (sample(profile, 'subgraph_sql_statement_duration_seconds_count', { subgraph: 'profile' }) ?? 0)
    - (sample(profileBefore, 'subgraph_sql_statement_duration_seconds_count', { subgraph: 'profile' }) ?? 0);
  expect(statements).toBeGreaterThan(0);
  expect(counted).toBe(statements);
  const catalog = await scrape(sg.subgraphs.catalog.url);
  expect(sample(catalog, 'subgraph_dataloader_batch_size_count', { loader: 'catalog:title' })).toBeGreaterThan(0);
  expect(sample(catalog, 'subgraph_cache_lookups_total', { loader: 'catalog:title', result: 'miss' })).toBeGreaterThan(0);
  expect(sample(catalog, 'subgraph_resolver_duration_seconds_count', { subgraph: 'catalog', field: 'Query._entities' })).toBeGreaterThan(0);
  expect(sample(catalog, 'redis_up', {})).toBe(1);
});

it('counts an operation an edge limit refused as a refusal only: no operation name, no field usage', async () => {
  const probe = { 'apollographql-client-name': 'refusal-probe', 'apollographql-client-version': '1.0' };
  const before = await scrape(sg.gatewayMetricsUrl);
  const refusedBefore = (limit: string) => sample(before, 'gateway_operations_refused_total', { limit }) ?? 0;
  // Refused in didResolveOperation, beside the telemetry plugin: over the cost limit, and a string over its limit.
  const costly = 'query RefusedTooCostly { profile(id: "demo-premium-1") { homeRows(first: 50, itemsPerRow: 100) { items { similar(first: 100) { synopsis } } } } }';
  const long = 'query RefusedLongString($q: String!) { profile(id: "demo-premium-1") { search(query: $q, first: 1) { runtimeSeconds } } }';
  const refusals = [
    await sendText(costly, {}, probe),
    await sendText(long, { q: 'x'.repeat(5_000) }, probe),
    // Refused while validating.
    await sendText(`query RefusedDeep { title(id: "x") { ${'similar(first: 1) { '.repeat(13)}releaseYear${' }'.repeat(13)} } }`, {}, probe),
  ];
  expect(refusals.map((r) => [r.status, r.body.errors?.[0]?.extensions?.code])).toEqual([
    [400, 'COST_ESTIMATED_TOO_EXPENSIVE'], [400, 'BAD_USER_INPUT'], [400, 'MAX_DEPTH_EXCEEDED'],
  ]);
  const after = await scrape(sg.gatewayMetricsUrl);
  // Each counts once, as a refusal.
  expect(sample(after, 'gateway_operations_refused_total', { limit: 'COST_ESTIMATED_TOO_EXPENSIVE' })).toBe(refusedBefore('COST_ESTIMATED_TOO_EXPENSIVE') + 1);
  expect(sample(after, 'gateway_operations_refused_total', { limit: 'BAD_USER_INPUT' })).toBe(refusedBefore('BAD_USER_INPUT') + 1);
  expect(sample(after, 'gateway_operations_refused_total', { limit: 'MAX_DEPTH_EXCEEDED' })).toBe(refusedBefore('MAX_DEPTH_EXCEEDED') + 1);
  // Not as operations: their names took no label slot, and no request or error series has them.
  expect(after).not.toMatch(/operation="Refused/);
  expect(sample(after, 'gateway_operations_total', { client_name: 'refusal-probe' })).toBeUndefined();
  expect(sample(after, 'gateway_operation_errors_total', { client_name: 'refusal-probe' })).toBeUndefined();
  // And the fields they asked for were not used.
  expect(sample(after, 'graphql_field_usage_total', { client_name: 'refusal-probe' })).toBeUndefined();
  expect(sample(after, 'graphql_field_last_used_timestamp_seconds', { client_name: 'refusal-probe' })).toBeUndefined();
  // The same client's operation that runs is counted as usual.
  expect((await sendText('query AllowedGenres { genres { id } }', {}, probe)).body.errors).toBeUndefined();
  const allowed = await scrape(sg.gatewayMetricsUrl);
  expect(sample(allowed, 'gateway_operations_total', { operation: 'AllowedGenres', client_name: 'refusal-probe' })).toBe(1);
  expect(sample(allowed, 'graphql_field_usage_total', { type: 'Query', field: 'genres', client_name: 'refusal-probe' })).toBe(1);
});

it('logs an unexpected error once, with its stack, under the request id the client sees', async () => {
  const prisma = sg.subgraphs.profile.store.prisma as { $executeRawUnsafe(sql: string): Promise<number> };
  await sg.flushCache();
  await prisma.$executeRawUnsafe('ALTER TABLE profiles RENAME TO profiles_gone');
  const logs = captureLogs('debug');
  let sent: Sent;
  try {
    sent = await send('HomeScreen', { profileId: 'demo-premium-1' }, { 'x-request-id': 'forced-failure-1' });
  } finally {
    logs.restore();
    await prisma.$executeRawUnsafe('ALTER TABLE profiles_gone RENAME TO profiles');
  }
  expect(sent.requestId).toBe('forced-failure-1');
  const error = sent.body.errors?.[0];
  expect(error).toMatchObject({ message: 'Internal error; it has been logged', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'forced-failure-1' } });
  expect(JSON.stringify(sent.body)).not.toMatch(/profiles|prisma|at .*\.ts/i);

  const errors = logs.entries().filter((e) => e.level >= 50);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ component: 'profile', requestId: 'forced-failure-1' });
  expect(errors[0].err.stack).toMatch(/\n\s+at /);
  expect(errors[0].traceId).toMatch(/^[0-9a-f]{32}$/);
  // The other lines of the request carry the same id.
  expect(logs.entries().filter((e) => e.requestId === 'forced-failure-1').length).toBeGreaterThan(1);
});
