import { readFileSync } from 'node:fs';
import { captureLogs, listen, SUBGRAPH_NAMES, type SubgraphName } from '@streaming/platform';
import { request } from 'undici';
import { composeSupergraph } from '../gateway/src/composeSupergraph';
import { DEFAULT_MANIFEST_PATH, demandConfigFromEnv } from '../gateway/src/config';
import type { PersistedQueryManifest } from '../gateway/src/persistedQueries/trustedDocumentsPlugin';
import { createGateway } from '../gateway/src/server';
// Not in the platform's index: only entry points (and tests) load the tracing SDK.
import { startTracing, stopTracing } from '../packages/platform/src/observability/tracing';
import { InMemorySpanExporter, SimpleSpanProcessor } from '../packages/testing/src/tracing';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';

/**
 * No cold start: a gateway plans every registered operation before it is ready, so no client
 * request plans. Apollo Gateway's `gateway.plan` span is made exactly when a plan is built.
 */
let sg: TestSupergraph;
const manifest = JSON.parse(readFileSync(DEFAULT_MANIFEST_PATH, 'utf8')) as PersistedQueryManifest;
const spans = new InMemorySpanExporter();
const plans = () => spans.getFinishedSpans().filter((s) => s.name === 'gateway.plan').length;

beforeAll(async () => {
  startTracing('plan-warmup-test', { spanProcessors: [new SimpleSpanProcessor(spans)], env: {} });
  sg = await startTestSupergraph();
});
afterAll(async () => {
  await sg?.stop();
  await stopTracing();
});

/** A gateway over the test subgraphs, as index.ts builds it, with or without the warm-up. */
async function startGateway(planWarmup: boolean) {
  const gateway = await createGateway({
    supergraphSdl: composeSupergraph(),
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, sg.subgraphs[n].url])) as Record<SubgraphName, string>,
    production: false,
    demand: demandConfigFromEnv({}),
    planWarmup,
  }, { verifier: sg.auth.services.verifier });
  const http = await listen(gateway.app, { port: 0, host: '127.0.0.1' });
  return { url: http.url, stop: async () => { await http.close(1_000); await gateway.stop(); } };
}

/** Every registered query, by id, as a signed-in client of demo-premium. */
async function askEveryQuery(url: string, token: string) {
  const variables: Record<string, Record<string, unknown>> = {
    HomeScreen: { profileId: 'demo-premium-1', rows: 2, itemsPerRow: 2 },
    PublicTitleDetails: { id: 't-00001' },
    TitleDetails: { id: 't-00001', profileId: 'demo-premium-1' },
    Viewer: {},
  };
  for (const [name, vars] of Object.entries(variables)) {
    const id = manifest.operations.find((o) => o.name === name)!.id;
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ operationName: name, variables: vars, extensions: { persistedQuery: { version: 1, sha256Hash: id } } }),
    });
    const body = (await res.body.json()) as { errors?: unknown };
    expect({ name, errors: body.errors }).toEqual({ name, errors: undefined });
  }
}

it('plans every registered operation, mutations included, before it is ready; then no request plans', async () => {
  const token = await sg.tokenFor('demo-premium', { ttlSeconds: 3_600 });
  const logs = captureLogs('info');
  spans.reset();
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  try {
    // Warming runs mutations' plans too, and costs the subgraphs nothing: no fetch leaves the gateway.
    const statements = await sg.countStatements(async () => {
      gateway = await startGateway(true);
    });
    expect(statements).toEqual({ profile: 0, catalog: 0, 'playback-session': 0, recommendation: 0 });
    // A `@defer` document twice: in parts, and with its `@defer` planned away for clients that take one answer.
    const withDefer = manifest.operations.filter((o) => o.body.includes('@defer')).length;
    expect(withDefer).toBeGreaterThan(0);
    expect(plans()).toBe(manifest.operations.length + withDefer);
    const warmup = logs.entries().find((e) => /plan warm-up: \d+ of/.test(String(e.msg)));
    expect(String(warmup?.msg)).toMatch(new RegExp(`plan warm-up: ${manifest.operations.length} of ${manifest.operations.length} registered operations planned`));
    expect(logs.entries().filter((e) => /not planned/.test(String(e.msg)))).toEqual([]);
    const ready = await request(new URL('/health/ready', gateway!.url));
    expect(ready.statusCode).toBe(200);
    await ready.body.dump();
    spans.reset();
    await askEveryQuery(gateway!.url, token);
    expect(plans()).toBe(0);
  } finally {
    logs.restore();
    await gateway?.stop();
  }
});

it('without the warm-up, the first request of each operation plans it (what the warm-up saves)', async () => {
  const token = await sg.tokenFor('demo-premium', { ttlSeconds: 3_600 });
  spans.reset();
  const gateway = await startGateway(false);
  try {
    expect(plans()).toBe(0);
    await askEveryQuery(gateway.url, token);
    expect(plans()).toBe(4);
  } finally {
    await gateway.stop();
  }
});
