import http from 'node:http';
import { SUBGRAPH_NAMES, type SubgraphName } from '@streaming/platform';
import { executorFallbacks } from '../gateway/src/telemetry/metrics';
import { startTestGateway, type TestGateway } from './support/gateway';
import { familySeries } from './support/playback';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';

/**
 * Our plan executor (gateway/src/executor) through real gateways over the real subgraphs: the
 * same answers as stock's (the differential test proves that at scale, with faults), each entity
 * representation sent once per fetch, and what it doesn't run left to stock's executor, counted.
 */
let sg: TestSupergraph;
const proxies: http.Server[] = [];
interface SubgraphRequest { query: string; variables?: Record<string, unknown> }
/** Every request playback-session received, by the gateway that sent it. */
const received: Record<'ours' | 'stock', SubgraphRequest[]> = { ours: [], stock: [] };
const gateways: Record<'ours' | 'stock', TestGateway> = {} as never;

/** The representation lists a gateway's requests carried (`representations`, or `representations_<n>` in a combined fetch). */
function representationsSent(executor: 'ours' | 'stock'): unknown[][] {
  return received[executor].flatMap((r) => Object.entries(r.variables ?? {}).filter(([name]) => /^representations(_\d+)?$/.test(name)).map(([, list]) => list as unknown[]));
}

/** A recording pass-through in front of playback-session, for one gateway. */
async function recordingProxy(target: URL, record: SubgraphRequest[]): Promise<string> {
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      record.push(JSON.parse(body.toString()) as SubgraphRequest);
      const upstream = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.end(body);
    });
  });
  proxies.push(proxy);
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy.address() as { port: number }).port}/`;
}

beforeAll(async () => {
  sg = await startTestSupergraph();
  const target = new URL(sg.subgraphs['playback-session'].url);
  for (const executor of ['ours', 'stock'] as const) {
    const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, sg.subgraphs[n].url])) as Record<SubgraphName, string>;
    subgraphUrls['playback-session'] = await recordingProxy(target, received[executor]);
    gateways[executor] = await startTestGateway(sg, { subgraphUrls, executor });
  }
}, 120_000);

afterAll(async () => {
  await gateways.ours?.stop();
  await gateways.stock?.stop();
  for (const proxy of proxies) {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  }
  await sg?.stop();
});

const distinct = (list: unknown[]) => new Set(list.map((r) => JSON.stringify(r))).size;

test("a home screen's answer is stock's, byte for byte, and each title's progress is asked for once", async () => {
  const variables = { profileId: 'demo-premium-1', rows: 10, itemsPerRow: 20 };
  const stock = await gateways.stock.run('HomeScreen', variables);
  const ours = await gateways.ours.run('HomeScreen', variables);
  expect(stock.errors).toBeUndefined();
  expect(JSON.stringify(ours)).toBe(JSON.stringify(stock));

  // Stock sent a title once per tile it is on (the same title is on several rows)...
  const stockSent = representationsSent('stock').flat();
  expect(stockSent.length).toBeGreaterThan(distinct(stockSent));
  // ...ours sent each distinct title once, and the same set of them.
  const oursSent = representationsSent('ours').flat();
  expect(oursSent.length).toBe(distinct(oursSent));
  expect(distinct(oursSent)).toBe(distinct(stockSent));
});

test("a series' details page asks playback-session once for the series' progress and its episodes', and answers as stock does", async () => {
  // The plan fetches both from playback-session side by side (one Parallel node): stock sends two
  // requests, ours one with both as aliased `_entities` fields (siblingFetches.ts).
  const variables = { id: familySeries.id, profileId: 'demo-premium-1' };
  received.ours.length = 0;
  received.stock.length = 0;
  const stock = await gateways.stock.run('TitleDetails', variables);
  const ours = await gateways.ours.run('TitleDetails', variables);
  expect(stock.errors).toBeUndefined();
  expect((stock.data as { title: { seasons: { episodes: { progress: unknown }[] }[] } }).title.seasons[0].episodes.length).toBe(familySeries.seasons[0].episodes.length);
  expect(JSON.stringify(ours)).toBe(JSON.stringify(stock));

  expect(received.stock).toHaveLength(2);
  expect(received.ours).toHaveLength(1);
  expect(received.ours[0].query).toMatch(/_0:_entities\(representations:\$representations_0\).*_1:_entities\(representations:\$representations_1\)/);
  const sorted = (lists: unknown[][]) => lists.map((list) => JSON.stringify(list)).sort();
  expect(sorted(representationsSent('ours'))).toEqual(sorted(representationsSent('stock')));
});

test("schema introspection is left to stock's executor, with the same answer, and counted", async () => {
  const reason = { reason: 'schema introspection' };
  const before = (await executorFallbacks.get()).values.find((v) => v.labels.reason === reason.reason)?.value ?? 0;
  const query = '{ __schema { queryType { name } } __typename }';
  const post = (g: TestGateway) => fetch(g.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }).then((r) => r.text());
  const [ours, stock] = [await post(gateways.ours), await post(gateways.stock)];
  expect(JSON.parse(ours)).toEqual({ data: { __schema: { queryType: { name: 'Query' } }, __typename: 'Query' } });
  expect(ours).toBe(stock);
  const after = (await executorFallbacks.get()).values.find((v) => v.labels.reason === reason.reason)?.value ?? 0;
  expect(after).toBe(before + 1);
});
