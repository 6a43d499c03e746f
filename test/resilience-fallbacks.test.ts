import { TcpProxy } from '@streaming/testing';
import type { SubgraphName } from '@streaming/platform';
import { startTestGateway, type TestGateway } from './support/gateway';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';

/**
 * Degraded beats broken: with a subgraph down, the screen still renders from what is reachable,
 * and the response says which parts are stand-ins (`extensions.degraded`). Through a real
 * gateway, with outages made by a TCP proxy (a real refused connection) or the x-fault header.
 */
let sg: TestSupergraph;
let urls: Record<SubgraphName, string>;
const gateways: TestGateway[] = [];
const proxies: TcpProxy[] = [];
const HOME = { rows: 4, itemsPerRow: 6 };

beforeAll(async () => {
  sg = await startTestSupergraph();
  urls = Object.fromEntries(Object.entries(sg.subgraphs).map(([n, s]) => [n, s.url])) as Record<SubgraphName, string>;
});
afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  for (const proxy of proxies) await proxy.stop();
  await sg?.stop();
});

async function proxied(name: SubgraphName) {
  const target = new URL(sg.subgraphs[name].url);
  const proxy = new TcpProxy('127.0.0.1', Number(target.port));
  proxies.push(proxy);
  return { proxy, url: `http://127.0.0.1:${await proxy.start()}/` };
}

async function gateway(options: Omit<Parameters<typeof startTestGateway>[1], 'subgraphUrls'> & { subgraphUrls?: Partial<Record<SubgraphName, string>> }) {
  const started = await startTestGateway(sg, { ...options, subgraphUrls: { ...urls, ...options.subgraphUrls } });
  gateways.push(started);
  return started;
}

describe('recommendation down', () => {
  let proxy: TcpProxy;
  let gw: TestGateway;
  beforeAll(async () => {
    const recommendation = await proxied('recommendation');
    proxy = recommendation.proxy;
    gw = await gateway({
      subgraphUrls: { recommendation: recommendation.url },
      lastGood: { subgraphs: ['recommendation'], maxAgeSeconds: 86_400, maxEntries: 1_000 },
      resilience: { faultInjection: true },
    });
  });

  it("serves each profile's last good home rows, flagged degraded, kids rows included", async () => {
    const before: Record<string, unknown> = {};
    for (const profileId of ['demo-premium-1', 'demo-premium-kids']) {
      const good = await gw.run('HomeScreen', { profileId, ...HOME });
      expect(good.errors).toBeUndefined();
      expect(good.extensions?.degraded).toBeUndefined();
      before[profileId] = good.data;
    }
    await proxy.stop();
    try {
      for (const profileId of ['demo-premium-1', 'demo-premium-kids']) {
        const fallback = await gw.run('HomeScreen', { profileId, ...HOME });
        expect(fallback.errors).toBeUndefined();
        expect(fallback.extensions?.degraded).toEqual(['recommendation']);
        // The kids profile gets exactly the rows computed for it: never more than it would see.
        expect(fallback.data).toEqual(before[profileId]);
      }
    } finally {
      await proxy.start();
    }
  });

  it('renders a profile never seen before without rows rather than losing the profile', async () => {
    const response = await gw.run('HomeScreen', { profileId: 'demo-standard-1', ...HOME }, { 'x-fault': 'recommendation=error' });
    expect(response.errors).toBeUndefined();
    expect(response.extensions?.degraded).toEqual(['recommendation']);
    expect(response.data!.profile).toMatchObject({ id: 'demo-standard-1', homeRows: [] });
    expect(response.data!.profile.name).toEqual(expect.any(String));
  });
});

it('catalog down: titles come from the entity cache past their TTL, flagged degraded', async () => {
  const catalog = await proxied('catalog');
  const gw = await gateway({
    subgraphUrls: { catalog: catalog.url },
    entityCache: { subgraphs: ['catalog'], ttlSeconds: 1, maxEntries: 10_000, maxStaleSeconds: 600 },
  });
  const warm = await gw.run('HomeScreen', { profileId: 'demo-premium-1', ...HOME });
  expect(warm.errors).toBeUndefined();
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  await catalog.proxy.stop();
  const stale = await gw.run('HomeScreen', { profileId: 'demo-premium-1', ...HOME });
  expect(stale.errors).toBeUndefined();
  expect(stale.extensions?.degraded).toEqual(['catalog']);
  expect(stale.data).toEqual(warm.data);
});

it('playback down: tiles render with progress null and one error', async () => {
  const gw = await gateway({ resilience: { faultInjection: true } });
  const good = await gw.run('HomeScreen', { profileId: 'demo-premium-1', ...HOME });
  const response = await gw.run('HomeScreen', { profileId: 'demo-premium-1', ...HOME }, { 'x-fault': 'playback-session=error' });
  expect(response.errors!.map((e) => [e.extensions?.code, e.extensions?.serviceName])).toEqual([['SUBGRAPH_UNAVAILABLE', 'playback-session']]);
  const rows = response.data!.profile.homeRows as { items: { name: string; progress: unknown }[] }[];
  expect(rows.map((r) => r.items.map((i) => i.name))).toEqual(good.data!.profile.homeRows.map((r: { items: { name: string }[] }) => r.items.map((i) => i.name)));
  expect(rows.flatMap((r) => r.items.map((i) => i.progress)).every((p) => p === null)).toBe(true);
});
