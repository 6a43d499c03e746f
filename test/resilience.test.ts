import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TcpProxy, type GraphQLResponse } from '@streaming/testing';
import type { SubgraphName } from '@streaming/platform';
import { resilienceConfigFromEnv } from '../gateway/src/config';
import { startTestGateway, type TestGateway } from './support/gateway';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';

/**
 * Around every subgraph call: timeouts inside a deadline, a circuit breaker, one budgeted retry,
 * injected faults, and errors that never show an internal address. Each case runs a real
 * gateway whose view of one subgraph goes through a TCP proxy the test controls.
 */
let sg: TestSupergraph;
let titleId: string;
const gateways: TestGateway[] = [];
const proxies: TcpProxy[] = [];

beforeAll(async () => {
  sg = await startTestSupergraph();
  const home = await sg.run('HomeScreen', { profileId: 'demo-premium-1', rows: 2, itemsPerRow: 2 });
  if (!home.data?.profile) throw new Error(`warm-up failed: ${JSON.stringify(home.errors)}`);
  titleId = home.data.profile.homeRows[0].items[0].id;
});
afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  for (const proxy of proxies) await proxy.stop();
  await sg?.stop();
});

/** A proxy in front of one subgraph, and a gateway that reaches that subgraph only through it. */
async function gatewayWithProxy(name: SubgraphName, resilience: Parameters<typeof startTestGateway>[1]['resilience'] = {}) {
  const target = new URL(sg.subgraphs[name].url);
  const proxy = new TcpProxy('127.0.0.1', Number(target.port));
  proxies.push(proxy);
  const port = await proxy.start();
  const urls = Object.fromEntries(Object.entries(sg.subgraphs).map(([n, s]) => [n, s.url])) as Record<SubgraphName, string>;
  urls[name] = `http://127.0.0.1:${port}/`;
  const gateway = await startTestGateway(sg, { subgraphUrls: urls, resilience });
  gateways.push(gateway);
  return { proxy, gateway };
}

/** Polls until a request comes back whole (a circuit waits out its reset time before probing). */
async function untilComplete(run: () => Promise<GraphQLResponse>) {
  let response = await run();
  for (let attempt = 0; attempt < 40 && response.errors; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    response = await run();
  }
  return response;
}

const codes = (errors?: { extensions?: Record<string, any> }[]) => (errors ?? []).map((e) => [e.extensions?.code, e.extensions?.serviceName]);

it('answers a request against a black-holed subgraph with GATEWAY_TIMEOUT, holding a bounded number of connections', async () => {
  // The circuit stays closed here (a high volume threshold): every request must reach the timeout.
  const breaker = { errorThresholdPercentage: 50, volumeThreshold: 1_000, rollingWindowMs: 10_000, resetTimeoutMs: 1_000 };
  const { proxy, gateway } = await gatewayWithProxy('catalog', { fetchTimeoutMs: 500, connectionsPerSubgraph: 4, retryBudgetRatio: 0, breaker });
  proxy.blackhole();
  const responses = await Promise.all(Array.from({ length: 40 }, () => gateway.run('TitleDetails', { id: titleId, profileId: 'demo-premium-1' })));
  for (const response of responses) {
    expect(response.status).toBe(200);
    expect(codes(response.errors)).toContainEqual(['GATEWAY_TIMEOUT', 'catalog']);
    expect(response.errors![0].message).toBe('The catalog service did not answer within 500 ms');
  }
  // Forty requests, four connections: the rest waited in the gateway's bounded queue and gave
  // up at their own timeout rather than each opening a socket the hung subgraph would hold.
  // (Up to twice the pool: a busy machine may see an aborted socket's close after the next opens.)
  expect(proxy.peakOpen).toBeLessThanOrEqual(8);

  // Forwarding again, the gateway recovers: asked until a request comes back whole, since on a
  // loaded machine one answer can itself take longer than this test's 500 ms fetch timeout.
  proxy.forward();
  const recovered = await untilComplete(() => gateway.run('TitleDetails', { id: titleId, profileId: 'demo-premium-1' }));
  expect(recovered.errors).toBeUndefined();
  expect(recovered.data!.title.id).toBe(titleId);
});

it('cuts every fetch at the request deadline when that comes first', async () => {
  const { proxy, gateway } = await gatewayWithProxy('catalog', { requestDeadlineMs: 300, fetchTimeoutMs: 5_000 });
  proxy.blackhole();
  const response = await gateway.run('TitleDetails', { id: titleId, profileId: 'demo-premium-1' });
  expect(codes(response.errors)).toEqual([['GATEWAY_TIMEOUT', 'catalog']]);
  expect(response.errors![0].message).toBe("The request's deadline passed while waiting for the catalog service");
});

it('opens the circuit on sustained failures, fails fast without calling the subgraph, and closes after a good probe', async () => {
  const breaker = { errorThresholdPercentage: 50, volumeThreshold: 4, rollingWindowMs: 10_000, resetTimeoutMs: 1_000 };
  const { proxy, gateway } = await gatewayWithProxy('catalog', { breaker, retryBudgetRatio: 0 });
  proxy.dropOpenConnections();
  proxy.dropNext(1_000);
  const messages: string[] = [];
  for (let i = 0; i < 4; i++) {
    const response = await gateway.run('TitleDetails', { id: titleId, profileId: 'demo-premium-1' });
    expect(codes(response.errors)).toEqual([['SUBGRAPH_UNAVAILABLE', 'catalog']]);
    messages.push(response.errors![0].message);
  }
  expect(messages).toEqual(Array(4).fill('The catalog service is unavailable'));

  const triedBefore = proxy.accepted;
  const open = await gateway.run('TitleDetails', { id: titleId, profileId: 'demo-premium-1' });
  expect(open.errors!.map((e) => [e.message, e.extensions?.code, e.extensions?.serviceName])).toEqual([
    ['The catalog service is unavailable (circuit open)', 'SUBGRAPH_UNAVAILABLE', 'catalog'],
  ]);
  expect(proxy.accepted).toBe(triedBefore);

  // The catalog comes back; once the reset time has passed, one probe gets through and closes it.
  proxy.dropNext(0);
  const response = await untilComplete(() => gateway.run('TitleDetails', { id: titleId, profileId: 'demo-premium-1' }));
  expect(response.errors).toBeUndefined();
  expect(response.data!.title.id).toBe(titleId);
});

it('retries a query once after a reset connection, and never a mutation', async () => {
  const { proxy, gateway } = await gatewayWithProxy('profile');
  // Retries are earned: ten fetches buy one (the 10% budget).
  for (let i = 0; i < 10; i++) expect((await gateway.run('ProfilePicker', { accountId: 'demo-premium' })).errors).toBeUndefined();
  proxy.dropOpenConnections();
  proxy.dropNext(1);
  const triedBefore = proxy.accepted;
  const query = await gateway.run('ProfilePicker', { accountId: 'demo-premium' });
  expect(query.errors).toBeUndefined();
  expect(proxy.accepted).toBe(triedBefore + 2);

  proxy.dropOpenConnections();
  proxy.dropNext(1);
  const before = proxy.accepted;
  const mutation = await gateway.run('AddToMyList', { profileId: 'demo-premium-1', titleId });
  expect(codes(mutation.errors)).toEqual([['SUBGRAPH_UNAVAILABLE', 'profile']]);
  expect(proxy.accepted).toBe(before + 1);
});

describe('fault injection', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    const urls = Object.fromEntries(Object.entries(sg.subgraphs).map(([n, s]) => [n, s.url])) as Record<SubgraphName, string>;
    gateway = await startTestGateway(sg, { subgraphUrls: urls, resilience: { faultInjection: true, fetchTimeoutMs: 400 } });
    gateways.push(gateway);
  });

  it('fails or slows the named subgraphs for that request only', async () => {
    const variables = { id: titleId, profileId: 'demo-premium-1' };
    const failed = await gateway.run('TitleDetails', variables, { 'x-fault': 'recommendation=error' });
    expect(failed.errors!.map((e) => [e.message, e.extensions?.code, e.extensions?.serviceName])).toEqual([
      ['The recommendation service is unavailable (injected)', 'SUBGRAPH_UNAVAILABLE', 'recommendation'],
    ]);
    const slow = await gateway.run('TitleDetails', variables, { 'x-fault': 'catalog=delay:50, playback-session=delay:10' });
    expect(slow.errors).toBeUndefined();
    const hung = await gateway.run('TitleDetails', variables, { 'x-fault': 'catalog=timeout' });
    expect(codes(hung.errors)).toEqual([['GATEWAY_TIMEOUT', 'catalog']]);
    const unaffected = await gateway.run('TitleDetails', variables);
    expect(unaffected.errors).toBeUndefined();
    expect(unaffected.data).toEqual(slow.data);
  });

  it('refuses a malformed header with BAD_USER_INPUT', async () => {
    const response = await gateway.run('TitleDetails', { id: titleId, profileId: 'demo-premium-1' }, { 'x-fault': 'billing=explode' });
    expect(response.status).toBe(400);
    expect(response.errors!.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].message).toMatch(/^x-fault must look like "recommendation=error, catalog=delay:1500"/);
  });

  it('is refused at start in production', () => {
    expect(() => resilienceConfigFromEnv({ FAULT_INJECTION: 'true', NODE_ENV: 'production' })).toThrow('FAULT_INJECTION=true is refused when NODE_ENV=production');
    expect(resilienceConfigFromEnv({ FAULT_INJECTION: 'true' }).faultInjection).toBe(true);
  });
});

describe('errors never show internal addresses', () => {
  it('from a subgraph answering 5xx', async () => {
    const broken = http.createServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('upstream 10.1.2.3:5104 is down');
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    try {
      const urls = Object.fromEntries(Object.entries(sg.subgraphs).map(([n, s]) => [n, s.url])) as Record<SubgraphName, string>;
      urls.recommendation = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/`;
      const gateway = await startTestGateway(sg, { subgraphUrls: urls, resilience: { retryBudgetRatio: 0 } });
      gateways.push(gateway);
      const response = await gateway.run('TitleDetails', { id: titleId, profileId: 'demo-premium-1' });
      expect(response.errors!.map((e) => [e.message, e.extensions?.code, e.extensions?.serviceName])).toEqual([
        ['The recommendation service failed (HTTP 503)', 'SUBGRAPH_UNAVAILABLE', 'recommendation'],
      ]);
      expect(JSON.stringify(response)).not.toMatch(/127\.0\.0\.1|10\.1\.2\.3|localhost/);
    } finally {
      broken.closeAllConnections();
      broken.close();
    }
  });

  // Last in the file: it stops the catalog the other cases use.
  it('from a subgraph whose own call to another subgraph failed', async () => {
    await sg.subgraphs.catalog.stop();
    const response = await sg.run('AddToMyList', { profileId: 'demo-premium-1', titleId });
    expect(response.errors!.map((e) => [e.message, e.extensions?.code])).toEqual([['The catalog service did not answer', 'SUBGRAPH_UNAVAILABLE']]);
    expect(JSON.stringify(response)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|localhost/);
  });
});
