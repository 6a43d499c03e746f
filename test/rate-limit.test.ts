import { newRunId, TEST_REDIS_URL } from '@streaming/testing';
import { request } from 'undici';
import { extraGateways } from './support/gateway';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';

/**
 * Rate limits per caller: in memory for one gateway, in Redis across instances. Over the limit a
 * client gets 429, Retry-After and RATE_LIMITED, before any GraphQL work.
 */
let sg: TestSupergraph;

beforeAll(async () => {
  sg = await startTestSupergraph();
});
afterAll(async () => {
  await sg?.stop();
});

const gateway = extraGateways(() => sg);

async function genres(url: string, headers: Record<string, string> = {}) {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ genres { id } }' }) });
  return { status: res.statusCode, retryAfter: res.headers['retry-after'], body: (await res.body.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, any> }[] } };
}

it('answers 429 with Retry-After and RATE_LIMITED past the limit, in memory', async () => {
  const g = await gateway({ env: { RATE_LIMIT_REQUESTS: '3', RATE_LIMIT_WINDOW_SECONDS: '60' } });
  for (let i = 0; i < 3; i += 1) expect((await genres(g.url)).status).toBe(200);
  const limited = await genres(g.url);
  expect(limited.status).toBe(429);
  expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60);
  expect(limited.body.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
  expect(limited.body.data).toBeUndefined();
});

it('holds across gateway instances through Redis', async () => {
  const keyPrefix = `test:${newRunId()}:`;
  const env = { RATE_LIMIT_REQUESTS: '4', RATE_LIMIT_WINDOW_SECONDS: '60' };
  const a = await gateway({ env, redisUrl: TEST_REDIS_URL, keyPrefix });
  const b = await gateway({ env, redisUrl: TEST_REDIS_URL, keyPrefix });
  expect((await genres(a.url)).status).toBe(200);
  expect((await genres(b.url)).status).toBe(200);
  expect((await genres(a.url)).status).toBe(200);
  expect((await genres(b.url)).status).toBe(200);
  // The fifth request in the window, whichever instance gets it.
  const limited = await genres(a.url);
  expect(limited.status).toBe(429);
  expect(limited.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  expect((await genres(b.url)).status).toBe(429);
});

it('counts each signed-in account on its own, apart from the address it sends from', async () => {
  const g = await gateway({ env: { RATE_LIMIT_REQUESTS: '2', RATE_LIMIT_WINDOW_SECONDS: '60' } });
  const premium = { authorization: `Bearer ${await sg.tokenFor('demo-premium')}` };
  const standard = { authorization: `Bearer ${await sg.tokenFor('demo-standard')}` };
  expect((await genres(g.url, premium)).status).toBe(200);
  expect((await genres(g.url, premium)).status).toBe(200);
  const limited = await genres(g.url, premium);
  expect(limited.status).toBe(429);
  expect(limited.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  // Another sign-in of the same account shares its budget ...
  expect((await genres(g.url, { authorization: `Bearer ${await sg.tokenFor('demo-premium')}` })).status).toBe(429);
  // ... another account from the same address has its own, and so does the address itself.
  expect((await genres(g.url, standard)).status).toBe(200);
  expect((await genres(g.url, standard)).status).toBe(200);
  expect((await genres(g.url, standard)).status).toBe(429);
  expect((await genres(g.url)).status).toBe(200);
  expect((await genres(g.url)).status).toBe(200);
  expect((await genres(g.url)).status).toBe(429);
});

it('ignores X-Forwarded-For unless a trusted proxy is configured (TRUST_PROXY)', async () => {
  const env = { RATE_LIMIT_REQUESTS: '2', RATE_LIMIT_WINDOW_SECONDS: '60' };
  const from = (address: string) => ({ 'x-forwarded-for': address });
  // Not trusted (the default): the header is the client's own claim, and every request here
  // counts against the socket's address, whatever it says.
  const direct = await gateway({ env });
  expect((await genres(direct.url, from('203.0.113.1'))).status).toBe(200);
  expect((await genres(direct.url, from('203.0.113.2'))).status).toBe(200);
  expect((await genres(direct.url, from('203.0.113.3'))).status).toBe(429);
  // Behind a proxy on loopback (this test is that proxy): the address it forwards is the client.
  const proxied = await gateway({ env: { ...env, TRUST_PROXY: 'loopback' } });
  expect((await genres(proxied.url, from('203.0.113.1'))).status).toBe(200);
  expect((await genres(proxied.url, from('203.0.113.1'))).status).toBe(200);
  expect((await genres(proxied.url, from('203.0.113.1'))).status).toBe(429);
  expect((await genres(proxied.url, from('203.0.113.2'))).status).toBe(200);
  // A client prepending its own entry can't escape: only the hop the trusted proxy added counts.
  expect((await genres(proxied.url, from('198.51.100.7, 203.0.113.1'))).status).toBe(429);
});

it('counts an IPv6 client by its /64: fresh addresses in one block share one budget', async () => {
  const env = { RATE_LIMIT_REQUESTS: '2', RATE_LIMIT_WINDOW_SECONDS: '60', TRUST_PROXY: 'loopback' };
  const from = (address: string) => ({ 'x-forwarded-for': address });
  const g = await gateway({ env });
  expect((await genres(g.url, from('2001:db8:7:1::1'))).status).toBe(200);
  expect((await genres(g.url, from('2001:db8:7:1::2'))).status).toBe(200);
  expect((await genres(g.url, from('2001:db8:7:1:ffff:ffff:ffff:ffff'))).status).toBe(429);
  // The next /64 is another subscriber.
  expect((await genres(g.url, from('2001:db8:7:2::1'))).status).toBe(200);
});

it('lets a caller in again once the window has passed', async () => {
  const g = await gateway({ env: { RATE_LIMIT_REQUESTS: '1', RATE_LIMIT_WINDOW_SECONDS: '1' } });
  expect((await genres(g.url)).status).toBe(200);
  expect((await genres(g.url)).status).toBe(429);
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  expect((await genres(g.url)).status).toBe(200);
});

it('is generous by default: the shared test gateway serves a burst of 300 requests', async () => {
  const statuses = await Promise.all(Array.from({ length: 300 }, () => genres(sg.gatewayUrl).then((r) => r.status)));
  expect(new Set(statuses)).toEqual(new Set([200]));
});
