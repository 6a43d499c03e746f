import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client/core';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { getOperationAST } from 'graphql';
import { SUBGRAPH_NAMES, type SubgraphName } from '@streaming/platform';
import { request } from 'undici';
import { DEFAULT_MANIFEST_PATH } from '../gateway/src/config';
import { MUTATION_BY_GET_MESSAGE } from '../gateway/src/http/registeredQueriesByGet';
import type { PersistedQueryManifest } from '../gateway/src/persistedQueries/trustedDocumentsPlugin';
import { startTestGateway, type TestGateway } from './support/gateway';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';

/**
 * Smaller and cacheable answers, through the real gateway over HTTP: gzip and Brotli by
 * Accept-Encoding, registered queries by GET, Cache-Control from the subgraphs' @cacheControl
 * hints (public catalog reads public, anything per viewer, errored or degraded never), ETag/304.
 */
let sg: TestSupergraph;
let token: string;
let series: string;
const manifest = JSON.parse(readFileSync(DEFAULT_MANIFEST_PATH, 'utf8')) as PersistedQueryManifest;
const idOf = (name: string) => manifest.operations.find((o) => o.name === name)!.id;

beforeAll(async () => {
  sg = await startTestSupergraph({ gatewayEnv: { FAULT_INJECTION: 'true' } });
  token = await sg.tokenFor('demo-premium', { ttlSeconds: 3_600 });
  const found = await sg.query('{ popularTitles(first: 50) { id kind } }', {}, { as: null });
  series = found.data!.popularTitles.find((t: { kind: string }) => t.kind === 'SERIES').id;
});
afterAll(async () => {
  await sg?.stop();
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  raw: Buffer;
  json: any;
}

/** Sends as is and decodes only what we asked for: what came over the wire stays visible. */
async function send(url: string, init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  const res = await request(url, { method: init.method ?? 'GET', headers: init.headers, body: init.body });
  const raw = Buffer.from(await res.body.arrayBuffer());
  const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
  const encoding = headers['content-encoding'];
  const text = (encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
  return { status: res.statusCode, headers, raw, json: text ? JSON.parse(text) : undefined };
}

/** A registered operation by GET, as Apollo Client's persisted-query link sends it with useGETForHashedQueries. */
function getUrl(base: string, name: string, variables: Record<string, unknown>): string {
  const params = new URLSearchParams({
    operationName: name,
    variables: JSON.stringify(variables),
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: idOf(name) } }),
  });
  return `${base}?${params}`;
}

const post = (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) =>
  send(sg.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });

describe('compression', () => {
  it('gives Brotli and gzip bodies that decode to the same answer as the uncompressed one', async () => {
    const query = sg.operations.PublicTitleDetails;
    const plain = await post(query, { id: series }, { 'accept-encoding': 'identity' });
    const br = await post(query, { id: series }, { 'accept-encoding': 'br' });
    const gzip = await post(query, { id: series }, { 'accept-encoding': 'gzip' });
    const both = await post(query, { id: series }, { 'accept-encoding': 'gzip, deflate, br' });
    expect(plain.json.errors).toBeUndefined();
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.raw.length).toBeGreaterThan(1024);
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(both.headers['content-encoding']).toBe('br');
    for (const answer of [br, gzip, both]) {
      expect(answer.json).toEqual(plain.json);
      expect(answer.raw.length).toBeLessThan(plain.raw.length / 2);
      expect(answer.headers.vary).toMatch(/accept-encoding/i);
    }
  });

  it('leaves small answers uncompressed', async () => {
    const small = await post('query Small($id: ID!) { title(id: $id) { id } }', { id: series }, { 'accept-encoding': 'br, gzip' });
    expect(small.json.data.title.id).toBe(series);
    expect(small.headers['content-encoding']).toBeUndefined();
  });
});

describe('GET for registered queries', () => {
  it('runs a registered query by id, with no CSRF header, and a public catalog read is public', async () => {
    const answer = await send(getUrl(sg.gatewayUrl, 'PublicTitleDetails', { id: series }), {});
    expect(answer.status).toBe(200);
    expect(answer.json.errors).toBeUndefined();
    expect(answer.json.data.title.id).toBe(series);
    expect(answer.json.data.title.similar.length).toBeGreaterThan(0);
    // Title, Season, Episode and the similar titles say 300 s, Genre 3600 s: the shortest wins.
    expect(answer.headers['cache-control']).toBe('public, max-age=300');
    expect(answer.headers.etag).toMatch(/^W\/"[\w-]+"$/);
    expect(answer.headers.vary).toMatch(/accept\b/i);
  });

  it("serves Apollo Client's persisted-query link with useGETForHashedQueries, by GET", async () => {
    const sent: { method: string; headers: Record<string, string> }[] = [];
    const link = createPersistedQueryLink({
      useGETForHashedQueries: true,
      // The manifest's id by operation name, as generatePersistedQueryIdsFromManifest does.
      generateHash: (document) => idOf(getOperationAST(document)!.name!.value),
    }).concat(new HttpLink({
      uri: sg.gatewayUrl,
      fetch: async (url, init) => {
        sent.push({ method: String(init?.method), headers: Object.fromEntries(new Headers(init?.headers as ConstructorParameters<typeof Headers>[0])) });
        return fetch(url, init);
      },
    }));
    const client = new ApolloClient({ link, cache: new InMemoryCache() });
    const result = await client.query({ query: gql(sg.operations.PublicTitleDetails), variables: { id: series }, fetchPolicy: 'no-cache' });
    expect(result.errors).toBeUndefined();
    expect(result.data.title.id).toBe(series);
    // One GET, by id alone (Apollo Client 3 sends `content-type: application/json` with it, which
    // Apollo's CSRF check accepts anyway; a plain GET without it is the case above).
    expect(sent.map((r) => r.method)).toEqual(['GET']);
    expect(sent[0].headers['content-type']).toBe('application/json');
  });

  it('gives each public read the shortest of its hints', async () => {
    expect((await post('{ genres { id name } }', {})).headers['cache-control']).toBe('public, max-age=3600');
    expect((await post('{ popularTitles(first: 3) { id name genres { name } } }', {})).headers['cache-control']).toBe('public, max-age=60');
  });

  it('is public for a signed-in viewer too: nothing in it depends on who asks', async () => {
    const anonymous = await send(getUrl(sg.gatewayUrl, 'PublicTitleDetails', { id: series }), {});
    const signedIn = await send(getUrl(sg.gatewayUrl, 'PublicTitleDetails', { id: series }), { headers: { authorization: `Bearer ${token}` } });
    expect(signedIn.headers['cache-control']).toBe('public, max-age=300');
    expect(signedIn.json).toEqual(anonymous.json);
  });

  it('never makes what touches a profile cacheable', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const details = await send(getUrl(sg.gatewayUrl, 'TitleDetails', { id: series, profileId: 'demo-premium-1' }), { headers: auth });
    expect(details.json.errors).toBeUndefined();
    expect(details.json.data.title.seasons.length).toBeGreaterThan(0);
    expect(details.headers['cache-control']).toBe('no-store');
    expect(details.headers.etag).toBeUndefined();
    const home = await send(getUrl(sg.gatewayUrl, 'HomeScreen', { profileId: 'demo-premium-1', rows: 2, itemsPerRow: 3 }), { headers: auth });
    expect(home.json.data.profile.homeRows.length).toBe(2);
    expect(home.headers['cache-control']).toBe('no-store');
    // The same field public without a profile, private with one (recommendation's dynamic hint).
    const query = 'query Similar($id: ID!, $profileId: ID) { title(id: $id) { id similar(first: 3, profileId: $profileId) { id } } }';
    expect((await post(query, { id: series })).headers['cache-control']).toBe('public, max-age=300');
    const mine = await post(query, { id: series, profileId: 'demo-premium-1' }, auth);
    expect(mine.json.data.title.similar).not.toBeNull();
    expect(mine.headers['cache-control']).toBe('no-store');
  });

  it('makes an answer with an error no-store', async () => {
    const failed = await send(getUrl(sg.gatewayUrl, 'PublicTitleDetails', { id: series }), { headers: { 'x-fault': 'recommendation=error' } });
    expect(failed.status).toBe(200);
    expect(failed.json.data.title.id).toBe(series);
    expect(failed.json.errors.length).toBeGreaterThan(0);
    expect(failed.headers['cache-control']).toBe('no-store');
    expect(failed.headers.etag).toBeUndefined();
    const badVariables = await send(getUrl(sg.gatewayUrl, 'PublicTitleDetails', {}), {});
    expect(badVariables.status).toBe(400);
    expect(badVariables.headers['cache-control']).toBe('no-store');
  });

  it('answers 304 without a body to a matching If-None-Match, and 200 to another', async () => {
    const url = getUrl(sg.gatewayUrl, 'PublicTitleDetails', { id: series });
    const first = await send(url, {});
    const etag = first.headers.etag;
    expect(etag).toBeDefined();
    const again = await send(url, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.raw.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    const other = await send(url, { headers: { 'if-none-match': 'W/"something-else"' } });
    expect(other.status).toBe(200);
    expect(other.json).toEqual(first.json);
  });

  it('refuses a mutation by GET with 405 and a clear error, and keeps CSRF prevention for GET with text', async () => {
    const mutation = await send(getUrl(sg.gatewayUrl, 'AddToMyList', { profileId: 'demo-premium-1', titleId: series }), { headers: { authorization: `Bearer ${token}` } });
    expect(mutation.status).toBe(405);
    expect(mutation.headers.allow).toBe('POST');
    expect(mutation.json.errors).toEqual([{ message: MUTATION_BY_GET_MESSAGE, extensions: { code: 'BAD_REQUEST' } }]);
    const list = await sg.run('HomeScreen', { profileId: 'demo-premium-1', rows: 1, itemsPerRow: 1 });
    expect(list.errors).toBeUndefined();
    const text = await send(`${sg.gatewayUrl}?${new URLSearchParams({ query: '{ genres { id } }' })}`, {});
    expect(text.status).toBe(400);
    expect(text.json.errors[0].message).toMatch(/Cross-Site Request Forgery/);
    const forged = await send(`${sg.gatewayUrl}?${new URLSearchParams({ query: '{ genres { id } }' })}`, { headers: { 'x-streaming-registered-query': 'get' } });
    expect(forged.status).toBe(400);
  });
});

describe('the entity cache', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway(sg, {
      subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, sg.subgraphs[n].url])) as Record<SubgraphName, string>,
      entityCache: { subgraphs: ['catalog'], ttlSeconds: 600, maxEntries: 10_000 },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('keeps an answer public when its titles come from the cache, with the time they have been kept taken off', async () => {
    const query = 'query Similar($id: ID!) { title(id: $id) { id similar(first: 5) { id name artwork(type: BOXART) { url } } } }';
    const ask = () => send(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { id: series } }) });
    const fetched = await ask();
    expect(fetched.json.errors).toBeUndefined();
    expect(fetched.headers['cache-control']).toBe('public, max-age=300');
    const cached = await ask();
    expect(cached.json).toEqual(fetched.json);
    const maxAge = Number(/^public, max-age=(\d+)$/.exec(cached.headers['cache-control'])?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(300);
  });
});
