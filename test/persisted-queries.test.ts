import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { captureLogs } from '@streaming/platform';
import { newRunId, TEST_REDIS_URL } from '@streaming/testing';
import Redis from 'ioredis';
import { request } from 'undici';
import { DEFAULT_MANIFEST_PATH } from '../gateway/src/config';
import type { PersistedQueryManifest } from '../gateway/src/persistedQueries/trustedDocumentsPlugin';
// Not in the platform's index: only entry points (and tests) load the tracing SDK.
import { startTracing, stopTracing } from '../packages/platform/src/observability/tracing';
import { InMemorySpanExporter, SimpleSpanProcessor } from '../packages/testing/src/tracing';
import { extraGateways } from './support/gateway';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';

/**
 * Automatic persisted queries (hash first, text on a miss; shared through Redis between gateway
 * instances) and trusted documents (only the operations in the generated manifest, by id).
 */
let sg: TestSupergraph;
/** Sent as a signed-in client of demo-premium, the owner of the profiles these operations ask about. */
let token: string;
const manifest = JSON.parse(readFileSync(DEFAULT_MANIFEST_PATH, 'utf8')) as PersistedQueryManifest;
const homeScreen = manifest.operations.find((o) => o.name === 'HomeScreen')!;

/** The gateway's `graphql.parse` spans (one per document it parses) show what was parsed. */
const spans = new InMemorySpanExporter();
const parsed = () => spans.getFinishedSpans().filter((s) => s.name === 'graphql.parse').length;

beforeAll(async () => {
  startTracing('persisted-queries-test', { spanProcessors: [new SimpleSpanProcessor(spans)], env: {} });
  sg = await startTestSupergraph();
  token = await sg.tokenFor('demo-premium');
});
afterAll(async () => {
  await sg?.stop();
  await stopTracing();
});

const gateway = extraGateways(() => sg);

async function post(url: string, body: Record<string, unknown>) {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: res.statusCode, ...((await res.body.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] }) };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

describe('the manifest', () => {
  it('holds every operation in operations/ in Apollo\'s format, ids being the SHA-256 of the bodies', () => {
    expect(manifest.format).toBe('apollo-persisted-query-manifest');
    expect(manifest.operations.map((o) => o.name).sort()).toEqual(Object.keys(sg.operations).sort());
    for (const o of manifest.operations) expect(o.id).toBe(sha256(o.body));
  });
});

describe('automatic persisted queries', () => {
  const query = '{ genres { id name } }';

  it('asks for the text on a miss, then answers the hash alone', async () => {
    const hash = sha256(query);
    const miss = await post(sg.gatewayUrl, persisted(hash));
    expect(miss.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const register = await post(sg.gatewayUrl, { query, ...persisted(hash) });
    expect(register.errors).toBeUndefined();
    const hit = await post(sg.gatewayUrl, persisted(hash));
    expect(hit.errors).toBeUndefined();
    expect(hit.data).toEqual(register.data);
  });

  it('refuses text that does not match its hash', async () => {
    const res = await post(sg.gatewayUrl, { query, ...persisted(sha256('{ __typename }')) });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('shares registrations between gateway instances through Redis', async () => {
    const keyPrefix = `test:${newRunId()}:`;
    const a = await gateway({ redisUrl: TEST_REDIS_URL, keyPrefix });
    const b = await gateway({ redisUrl: TEST_REDIS_URL, keyPrefix });
    const text = '{ genres { name } }';
    const hash = sha256(text);
    expect((await post(a.url, { query: text, ...persisted(hash) })).errors).toBeUndefined();
    const onB = await post(b.url, persisted(hash));
    expect(onB.errors).toBeUndefined();
    expect(onB.data.genres.length).toBeGreaterThan(0);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      expect(await redis.get(`${keyPrefix}apq:${hash}`)).toBe(text);
      await redis.del(`${keyPrefix}apq:${hash}`);
    } finally {
      redis.disconnect();
    }
  });
});

describe('trusted documents', () => {
  it('in enforce mode runs a registered operation by id alone', async () => {
    const g = await gateway({ env: { TRUSTED_DOCUMENTS: 'enforce' } });
    const res = await post(g.url, { ...persisted(homeScreen.id), operationName: 'HomeScreen', variables: { profileId: 'demo-premium-1', rows: 2, itemsPerRow: 3 } });
    expect(res.errors).toBeUndefined();
    expect(res.data.profile.homeRows).toHaveLength(2);
    expect(res.data.profile.homeRows[0].items[0].__typename).toBe('Title');
  });

  it('in enforce mode refuses unregistered text and unknown ids with PERSISTED_QUERY_NOT_IN_LIST', async () => {
    const g = await gateway({ env: { TRUSTED_DOCUMENTS: 'enforce' } });
    const text = await post(g.url, { query: '{ genres { id } }' });
    expect(text.status).toBe(400);
    expect(text.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    const unknownId = await post(g.url, persisted(sha256('{ genres { id } }')));
    expect(unknownId.status).toBe(400);
    expect(unknownId.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    // A registration attempt (text and hash together) does not get an operation in either.
    const register = await post(g.url, { query: '{ genres { id } }', ...persisted(sha256('{ genres { id } }')) });
    expect(register.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });

  /**
   * Unregistered text is refused before it is parsed: whatever it holds, the answer is the same
   * 400, so it can't be used to probe the schema (with introspection off, "Cannot query field"
   * says what exists) and costs no parsing or validation.
   */
  it('in enforce mode refuses any unregistered document the same way, before parsing it', async () => {
    const g = await gateway({ env: { TRUSTED_DOCUMENTS: 'enforce', NODE_ENV: 'production' } });
    const deep = `{ account(id: "demo-premium") { ${'profiles { account { '.repeat(10)}id${' } }'.repeat(10)} } }`;
    const documents: Record<string, string> = {
      'a valid unregistered query': '{ genres { id } }',
      'a field the schema lacks': '{ account(id: "demo-premium") { passwordHash } }',
      'a type the schema lacks': '{ __type(name: "InternalAudit") { name } }',
      'a syntax error': '{ genres { id ',
      'not GraphQL at all': 'SELECT * FROM accounts',
      'a depth bomb': deep,
      'an alias bomb': `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: genres { id }`).join(' ')} }`,
      'a cost bomb': `{ profile(id: "demo-premium-1") { homeRows(first: 50, itemsPerRow: 100) { items { similar(first: 100) { name } } } } }`,
      'a 900 KB document': `{ ${'a: __typename '.repeat(65_000)}}`,
      'a registered body with one character changed': homeScreen.body.replace('HomeScreen', 'HomeScreem'),
      'a subscription': 'subscription { sessionEvents { id } }',
    };
    expect(documents['a 900 KB document'].length).toBeGreaterThan(900_000);
    spans.reset();
    {
      type Answer = { name: string; status: number; errors?: { message: string; extensions?: Record<string, any> }[]; data?: unknown };
      const answers: Answer[] = [];
      for (const [name, query] of Object.entries(documents)) {
        const res = await post(g.url, { query, operationName: undefined, variables: { profileId: 'demo-premium-1' } });
        answers.push({ name, status: res.status, errors: res.errors, data: res.data });
      }
      const unknownId = await post(g.url, persisted(sha256('{ genres { id } }')));
      answers.push({ name: 'an unknown id', status: unknownId.status, errors: unknownId.errors, data: unknownId.data });
      const get = await request(`${g.url}?query=${encodeURIComponent('{ nope }')}`, { headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${token}` } });
      answers.push({ name: 'a GET', status: get.statusCode, ...((await get.body.json()) as Omit<Answer, 'name' | 'status'>) });
      // GET variants that a gate reading Express's parsed query (qs) sees differently from Apollo,
      // which reads the raw query string and takes each parameter's first value.
      const nope = encodeURIComponent('{ nope }');
      const unknownExtensions = encodeURIComponent(JSON.stringify(persisted(sha256('{ genres { id } }')).extensions));
      const getVariants: Record<string, string> = {
        'a GET with the query twice': `query=${nope}&query=${encodeURIComponent(homeScreen.body)}`,
        'a GET with the query as an indexed array': `query[0]=${nope}&query=${nope}`,
        'a GET with an unknown id twice': `extensions=${unknownExtensions}&extensions=${unknownExtensions}`,
        'a GET with the query under a bracketed key': `query[]=${nope}&query=${nope}`,
      };
      for (const [name, search] of Object.entries(getVariants)) {
        const res = await request(`${g.url}?${search}`, { headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${token}` } });
        answers.push({ name, status: res.statusCode, ...((await res.body.json()) as Omit<Answer, 'name' | 'status'>) });
      }
      const refusal = { status: 400, errors: [{ message: expect.stringMatching(/registered/), extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } }], data: undefined };
      // (The name says which case differs when one does.)
      for (const answer of answers) expect({ ...answer, errors: answer.errors?.map(({ message, extensions }) => ({ message, extensions: { code: extensions?.code } })) }).toEqual({ name: answer.name, ...refusal });
      // Word for word the same answer, whatever was sent.
      expect(new Set(answers.map((a) => JSON.stringify(a.errors))).size).toBe(1);
      // None of it was parsed.
      expect(parsed()).toBe(0);
    }
    // Registered operations still run: by id (GET too) and by their exact text.
    const byId = await post(g.url, { ...persisted(homeScreen.id), variables: { profileId: 'demo-premium-1', rows: 1, itemsPerRow: 1 } });
    expect(byId.errors).toBeUndefined();
    expect(byId.data.profile.homeRows).toHaveLength(1);
    const byText = await post(g.url, { query: homeScreen.body, variables: { profileId: 'demo-premium-1', rows: 1, itemsPerRow: 1 } });
    expect(byText.errors).toBeUndefined();
    const params = new URLSearchParams({ extensions: JSON.stringify(persisted(homeScreen.id).extensions), variables: JSON.stringify({ profileId: 'demo-premium-1', rows: 1, itemsPerRow: 1 }) });
    const getById = await request(`${g.url}?${params}`, { headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${token}` } });
    const getBody = (await getById.body.json()) as { data?: any; errors?: unknown };
    expect(getBody.errors).toBeUndefined();
    expect(getBody.data.profile.homeRows).toHaveLength(1);
  });

  it('in enforce mode accepts the exact registered text too', async () => {
    const g = await gateway({ env: { TRUSTED_DOCUMENTS: 'enforce' } });
    const res = await post(g.url, { query: homeScreen.body, variables: { profileId: 'demo-premium-1', rows: 1, itemsPerRow: 1 } });
    expect(res.errors).toBeUndefined();
  });

  it('is enforced by default in production, where field suggestions are off too', async () => {
    const g = await gateway({ env: { NODE_ENV: 'production' } });
    const res = await post(g.url, { query: '{ genres { id } }' });
    expect(res.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    const byId = await post(g.url, { ...persisted(homeScreen.id), variables: { profileId: 'demo-premium-1', rows: 1, itemsPerRow: 1 } });
    expect(byId.errors).toBeUndefined();
    const withText = await gateway({ env: { NODE_ENV: 'production', TRUSTED_DOCUMENTS: 'off' } });
    const typo = await post(withText.url, { query: '{ genre { id } }' });
    expect(typo.errors?.[0]?.message).toMatch(/Cannot query field "genre"/);
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it('is off by default in development (Sandbox stays free-form), with suggestions on', async () => {
    const res = await post(sg.gatewayUrl, { query: '{ genre { id } }' });
    expect(res.errors?.[0]?.message).toMatch(/Did you mean "genres"/);
  });

  it('in log mode runs unregistered operations and logs each one once', async () => {
    const g = await gateway({ env: { TRUSTED_DOCUMENTS: 'log' } });
    const logs = captureLogs('warn');
    spans.reset();
    try {
      for (let i = 0; i < 3; i += 1) {
        const res = await post(g.url, { query: 'query GenreIds { genres { id } }' });
        expect(res.errors).toBeUndefined();
        expect(res.data.genres.length).toBeGreaterThan(0);
      }
      const registered = await post(g.url, { query: homeScreen.body, variables: { profileId: 'demo-premium-1', rows: 1, itemsPerRow: 1 } });
      expect(registered.errors).toBeUndefined();
      // Parsing shows as spans (what the enforce test's "not parsed" rests on): a new document, once.
      expect(parsed()).toBeGreaterThanOrEqual(1);
    } finally {
      logs.restore();
    }
    const unregistered = logs.entries().filter((e) => /unregistered/.test(e.msg));
    expect(unregistered).toEqual([
      expect.objectContaining({ component: 'gateway', msg: `unregistered operation GenreIds (sha256 ${sha256('query GenreIds { genres { id } }').slice(0, 12)})` }),
    ]);
  });
});
