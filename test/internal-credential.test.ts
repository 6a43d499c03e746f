import { createHmac, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { isAllowed, maturityRank, SUBGRAPH_NAMES, type Maturity, type SubgraphName } from '@streaming/platform';
import { postGraphQL, type GraphQLResponse } from '@streaming/testing';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';
import { runUntilReady } from './support/processes';
import { familyMovies } from './support/playback';
import { profileById, titleById } from './support/expectations';

/**
 * Subgraphs in production answer only the gateway and each other (README, "Internal
 * credential"): a caller that reaches a subgraph's port directly, even signed in, can't send it
 * representations of its own making. Here the subgraphs run with NODE_ENV=production and the
 * gateway and subgraphs share INTERNAL_AUTH_SECRET; credentials are made in this file with
 * node:crypto, independently of the code under test.
 */
const SECRET = randomBytes(32).toString('base64url');
let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph({
    env: {
      NODE_ENV: 'production', INTERNAL_AUTH_SECRET: SECRET,
      MANIFEST_SIGNING_SECRET: randomBytes(32).toString('base64url'), CURSOR_SIGNING_SECRET: randomBytes(32).toString('base64url'),
    },
    gatewayEnv: { INTERNAL_AUTH_SECRET: SECRET },
  });
});
afterAll(async () => {
  await sg?.stop();
});

const KIDS = 'demo-premium-kids';
const OWNER = 'demo-premium';
const nowSeconds = () => Math.floor(Date.now() / 1000);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An HS256 JWT, signed with `secret`. */
function hs256(claims: object, secret = SECRET, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** What the gateway would send a subgraph: `iss` gateway, `aud` the subgraph, five minutes. */
function credentialFor(subgraph: string, claims: object = {}): string {
  return hs256({ iss: 'gateway', aud: subgraph, iat: nowSeconds(), exp: nowSeconds() + 300, ...claims });
}

function direct(subgraph: SubgraphName, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return postGraphQL(sg.subgraphs[subgraph].url, query, variables, undefined, headers);
}

const entities = (typename: string, selection: string) =>
  `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`;
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

/** The owner's own kids profile, with the rating and list a direct caller would like it to have. */
const forgedKids = { __typename: 'Profile', id: KIDS, maturityRating: 'EIGHTEEN_PLUS', myList: [], account: { __typename: 'Account', id: OWNER, country: 'US' } };

describe('a subgraph called directly', () => {
  it("refuses forged representations, even from the profile's owner", async () => {
    const token = await sg.tokenFor(OWNER);
    const rows = await direct('recommendation', entities('Profile', 'homeRows(first: 5, itemsPerRow: 20) { items { id } }'), { r: [forgedKids] }, { authorization: `Bearer ${token}` });
    const kidsRating = profileById.get(KIDS)!.maturityRating;
    const aboveRating = (rows.data?._entities?.[0]?.homeRows ?? [])
      .flatMap((r: { items: { id: string }[] }) => r.items.map((i) => i.id))
      .filter((id: string) => !isAllowed(titleById.get(id)!.maturityRating, kidsRating));
    expect({ status: rows.status, codes: codes(rows), titlesAboveKidsRating: aboveRating.length, data: rows.data ?? null })
      .toEqual({ status: 401, codes: ['INTERNAL_CREDENTIAL_REJECTED'], titlesAboveKidsRating: 0, data: null });

    const search = await direct('catalog', entities('Profile', 'search(query: "a", first: 50) { id maturityRating }'), { r: [forgedKids] }, { authorization: `Bearer ${token}` });
    expect({ status: search.status, codes: codes(search), data: search.data ?? null }).toEqual({ status: 401, codes: ['INTERNAL_CREDENTIAL_REJECTED'], data: null });

    // Through the gateway, the same owner gets the kids profile's rows, all within its rating.
    const home = await sg.run('HomeScreen', { profileId: KIDS, rows: 5, itemsPerRow: 20 });
    expect(home.errors).toBeUndefined();
    const ratings = home.data!.profile.homeRows.flatMap((r: { items: { maturityRating: Maturity }[] }) => r.items.map((i) => i.maturityRating));
    expect(ratings.length).toBeGreaterThan(0);
    expect(ratings.filter((r: Maturity) => !isAllowed(r, kidsRating))).toEqual([]);
  });

  it.each(SUBGRAPH_NAMES.map((s) => [s]))('%s refuses a missing, wrong, expired or misaddressed credential before doing anything', async (subgraph) => {
    const other = SUBGRAPH_NAMES.find((s) => s !== subgraph)!;
    const cases: [string, Record<string, string>, number][] = [
      ['none', {}, 401],
      ['another secret', { 'x-internal-credential': hs256({ iss: 'gateway', aud: subgraph, iat: nowSeconds(), exp: nowSeconds() + 300 }, randomBytes(32).toString('base64url')) }, 401],
      ['expired', { 'x-internal-credential': credentialFor(subgraph, { iat: nowSeconds() - 900, exp: nowSeconds() - 600 }) }, 401],
      ['alg none', { 'x-internal-credential': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: 'gateway', aud: subgraph, iat: nowSeconds(), exp: nowSeconds() + 300 })}.` }, 401],
      ['not a token', { 'x-internal-credential': 'let-me-in' }, 401],
      // Only the internal header counts: a viewer's access token is not an internal credential.
      ['an access token in its place', { 'x-internal-credential': await sg.tokenFor(OWNER) }, 401],
      ['for another subgraph', { 'x-internal-credential': credentialFor(other) }, 403],
      ['from a caller that is not ours', { 'x-internal-credential': credentialFor(subgraph, { iss: 'intruder' }) }, 403],
    ];
    for (const [name, headers, status] of cases) {
      const res = await direct(subgraph, '{ _service { sdl } }', {}, headers);
      expect({ name, status: res.status, codes: codes(res), data: res.data ?? null }).toEqual({ name, status, codes: ['INTERNAL_CREDENTIAL_REJECTED'], data: null });
    }
    const ok = await direct(subgraph, '{ _service { sdl } }', {}, { 'x-internal-credential': credentialFor(subgraph) });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!._service.sdl).toContain('type Query');
  });

  it('has introspection off and the gateway\'s shape limits, even for a caller holding the credential', async () => {
    const headers = { 'x-internal-credential': credentialFor('profile') };
    const introspection = await direct('profile', '{ __schema { queryType { name } } }', {}, headers);
    expect(introspection.status).toBe(400);
    expect(codes(introspection)).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    // Account.profiles.account.profiles...: 14 levels, past the gateway's MAX_DEPTH of 12.
    const deep = `{ account(id: "${OWNER}") { ${'profiles { account { '.repeat(6)}id${' } }'.repeat(6)} } }`;
    const depth = await direct('profile', deep, {}, headers);
    expect(codes(depth)).toContain('MAX_DEPTH_EXCEEDED');
    expect(depth.data ?? null).toBeNull();

    const aliases = `{ account(id: "${OWNER}") { ${Array.from({ length: 31 }, (_, i) => `a${i}: id`).join(' ')} } }`;
    expect(codes(await direct('profile', aliases, {}, headers))).toContain('MAX_ALIASES_EXCEEDED');

    // No "Did you mean ...?": a schema oracle with introspection off.
    const typo = await direct('catalog', '{ titl(id: "t-00001") { name } }', {}, { 'x-internal-credential': credentialFor('catalog') });
    expect(codes(typo)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(typo.errors![0].message).not.toMatch(/Did you mean/);
  });
});

describe('the callers a subgraph does answer', () => {
  it('serve every contract operation through the gateway, and the calls subgraphs make to each other', async () => {
    const profileId = 'demo-premium-1';
    const movie = familyMovies[3];
    const ok = async (operation: string, variables: Record<string, unknown> = {}, options = {}) => {
      const res = await sg.run(operation, variables, options);
      expect({ operation, status: res.status, errors: res.errors }).toEqual({ operation, status: 200, errors: undefined });
      return res.data!;
    };
    const signIn = (await ok('SignIn', { email: 'demo-standard@example.com', password: 'streaming-demo' }, { as: null })).signIn;
    expect((await ok('Viewer', {}, { token: signIn.accessToken })).viewer.account.id).toBe('demo-standard');
    expect((await ok('ProfilePicker', { accountId: OWNER })).account.profiles).toHaveLength(5);
    await ok('HomeScreen', { profileId });
    expect((await ok('TitleDetails', { id: movie.id, profileId })).title.name).toBe(movie.name);
    await ok('Search', { profileId, query: 'the' });
    // profile -> catalog: does the title exist, and is it within the profile's rating?
    expect((await ok('AddToMyList', { profileId, titleId: movie.id })).addToMyList.myList.map((t: { id: string }) => t.id)).toContain(movie.id);
    await ok('RemoveFromMyList', { profileId, titleId: movie.id });
    const created = (await ok('CreateProfile', { input: { accountId: 'demo-standard', name: 'Internal' } })).createProfile;
    await ok('UpdateProfile', { id: created.id, input: { name: 'Internal 2' } }, { as: 'demo-standard' });
    await ok('DeleteProfile', { id: created.id }, { as: 'demo-standard' });
    // playback -> profile (plan, rating) and catalog (the title).
    const session = (await ok('StartPlayback', { input: { profileId, titleId: movie.id, deviceId: 'internal-credential' } })).startPlayback;
    expect(session.title.name).toBe(movie.name);
    await ok('Heartbeat', { input: { sessionId: session.id, positionSeconds: 10 } }, { as: OWNER });
    // playback -> profile: does the viewer own this profile?
    expect((await ok('ActiveSessions', { profileId })).profile.activeSessions.map((s: { id: string }) => s.id)).toContain(session.id);
    await ok('StopPlayback', { sessionId: session.id, positionSeconds: 11 }, { as: OWNER });
    const refreshed = (await ok('RefreshSession', { refreshToken: signIn.refreshToken }, { as: null })).refreshSession;
    expect((await ok('SignOut', {}, { token: refreshed.accessToken })).signOut).toBe(true);

    // recommendation -> profile: similar(profileId:) asks the profile subgraph for the rating.
    const similar = await sg.query(`{ title(id: "${movie.id}") { similar(first: 20, profileId: "${KIDS}") { id maturityRating } } }`, {}, { as: OWNER });
    expect(similar.errors).toBeUndefined();
    const kidsRating = profileById.get(KIDS)!.maturityRating;
    expect(similar.data!.title.similar.length).toBeGreaterThan(0);
    for (const t of similar.data!.title.similar as { id: string; maturityRating: Maturity }[]) {
      expect(maturityRank(t.maturityRating)).toBeLessThanOrEqual(maturityRank(kidsRating));
      expect(titleById.get(t.id)!.maturityRating).toBe(t.maturityRating);
    }
  });
});

describe('a process in production without INTERNAL_AUTH_SECRET', () => {
  const dataDir = () => `/tmp/internal-credential-${sg?.runId ?? process.pid}`;
  afterAll(() => rmSync(dataDir(), { recursive: true, force: true }));

  it.each([
    ['catalog', 'subgraphs/catalog/dist/index.js', { CATALOG_PORT: '0' }],
    ['gateway', 'gateway/dist/index.js', { PORT: '0', HOST: '127.0.0.1' }],
  ])('%s refuses to start and names the variable', async (_name, entry, env) => {
    const child = runUntilReady(entry, {
      NODE_ENV: 'production', AUTH_JWKS: JSON.stringify(sg.auth.keys.jwks), MANIFEST_SIGNING_SECRET: randomBytes(32).toString('base64url'),
      DATA_DIR: dataDir(), SEED_IF_EMPTY: 'false', INTERNAL_AUTH_SECRET: '', ...env,
    });
    const outcome = await Promise.race([child.exited.then((code) => ({ code })), child.ready.then(() => ({ code: 'started' }), () => ({ code: 'exited' }))]);
    if (outcome.code === 'started') child.child.kill('SIGTERM');
    const code = outcome.code === 'exited' ? await child.exited : outcome.code;
    expect(code).not.toBe('started');
    expect(code).not.toBe(0);
    expect(child.output()).toMatch(/INTERNAL_AUTH_SECRET \(or INTERNAL_AUTH_SECRET_FILE\) is required when NODE_ENV=production/);
  });
});
