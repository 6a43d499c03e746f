import { request } from 'undici';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';
import { dataset } from './support/expectations';

/**
 * Bad input gets a GraphQL error a client can act on (a code and a message naming the
 * problem), never a crash or a stack trace, and the gateway keeps serving afterwards.
 */
let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph();
});
afterAll(async () => {
  await sg?.stop();
});

const firstError = (res: { errors?: { message: string; extensions?: Record<string, any> }[] }) => res.errors?.[0];

describe('out-of-range arguments', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['HomeScreen', { profileId: 'demo-premium-1', rows: -1 }, 'first must be 0 or more, got -1'],
    ['HomeScreen', { profileId: 'demo-premium-1', rows: 51 }, 'first must be at most 50, got 51'],
    ['HomeScreen', { profileId: 'demo-premium-1', itemsPerRow: -5 }, 'itemsPerRow must be 0 or more, got -5'],
    ['HomeScreen', { profileId: 'demo-premium-1', itemsPerRow: 101 }, 'itemsPerRow must be at most 100, got 101'],
    ['Search', { profileId: 'demo-premium-1', query: 'star', first: -1 }, 'first must be 0 or more, got -1'],
    ['Search', { profileId: 'demo-premium-1', query: '   ' }, 'query must not be empty'],
  ];
  it.each(cases)('%s %j gives BAD_USER_INPUT: %s', async (operation, variables, message) => {
    const res = await sg.run(operation, variables);
    expect(res.status).toBe(200);
    expect(firstError(res)).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
    expect(JSON.stringify(res)).not.toMatch(/stacktrace|\.ts:\d+/);
  });

  it('searches for % and _ as characters, not wildcards', async () => {
    for (const query of ['%', '_', '\\']) {
      const res = await sg.run('Search', { profileId: 'demo-premium-1', query });
      expect(res.errors).toBeUndefined();
      expect(res.data!.profile.search).toEqual([]);
    }
  });

  it('gives empty rows for rows: 0 and empty items for itemsPerRow: 0', async () => {
    const none = await sg.run('HomeScreen', { profileId: 'demo-premium-1', rows: 0 });
    expect(none.data!.profile.homeRows).toEqual([]);
    const bare = await sg.run('HomeScreen', { profileId: 'demo-premium-1', rows: 3, itemsPerRow: 0 });
    expect(bare.data!.profile.homeRows.map((r: { items: unknown[] }) => r.items)).toEqual([[], [], []]);
  });

  it('rejects an unknown enum value in variables with BAD_USER_INPUT', async () => {
    const res = await sg.run('UpdateProfile', { id: 'demo-premium-1', input: { maturityRating: 'R' } });
    expect(res.status).toBe(400);
    expect(firstError(res)?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(firstError(res)?.message).toMatch(/Value "R" does not exist in "MaturityRating" enum/);
    const inline = await sg.query('mutation { updateProfile(id: "demo-premium-1", input: { maturityRating: R }) { id } }');
    expect(inline.status).toBe(400);
    expect(firstError(inline)).toMatchObject({ message: expect.stringMatching(/Value "R" does not exist in "MaturityRating" enum/), extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('malformed requests', () => {
  it('answers a syntax error with HTTP 400 and a GraphQL error, then keeps serving', async () => {
    const broken = await sg.query('query { profile(id: "demo-premium-1") { name ');
    expect(broken.status).toBe(400);
    expect(firstError(broken)?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknownField = await sg.query('query { profile(id: "demo-premium-1") { shoeSize } }');
    expect(unknownField.status).toBe(400);
    expect(firstError(unknownField)?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(firstError(unknownField)?.message).toContain('shoeSize');
    const ok = await sg.run('ProfilePicker', { accountId: 'demo-basic' });
    expect(ok.data!.account.id).toBe('demo-basic');
  });

  it('answers a body that is not JSON with 400, not 500', async () => {
    const response = await request(sg.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.statusCode).toBe(400);
    await response.body.text();
    const ok = await sg.run('ProfilePicker', { accountId: 'demo-basic' });
    expect(ok.errors).toBeUndefined();
  });
});

describe('entity lookups the gateway makes (_entities), one per @key type', () => {
  // As the gateway sends them: with the viewer's credential (an account's own entities resolve).
  const entities = async (subgraph: keyof TestSupergraph['subgraphs'], typename: string, ids: string[], selection: string, account = 'demo-premium') => {
    const { postGraphQL } = await import('@streaming/testing');
    const res = await postGraphQL(sg.subgraphs[subgraph].url,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`,
      { r: ids.map((id) => ({ __typename: typename, id })) }, undefined, { authorization: `Bearer ${await sg.tokenFor(account)}` });
    expect(res.errors).toBeUndefined();
    return (res.data as { _entities: unknown[] })._entities;
  };

  it('resolves each key type in order, null for unknown ids', async () => {
    expect(await entities('profile', 'Account', ['demo-basic', 'nope'], 'id country', 'demo-basic')).toEqual([{ id: 'demo-basic', country: 'US' }, null]);
    expect(await entities('profile', 'Profile', ['demo-premium-kids', 'nope'], 'id isKids')).toEqual([{ id: 'demo-premium-kids', isKids: true }, null]);
    expect(await entities('catalog', 'Genre', ['comedy', 'nope'], 'id name')).toEqual([{ id: 'comedy', name: 'Comedy' }, null]);
    const [title, missing] = (await entities('catalog', 'Title', ['t-00001', 'nope'], 'id name')) as { id: string }[];
    expect(title.id).toBe('t-00001');
    expect(missing).toBeNull();
  });
});

describe('racing writes', () => {
  it('never leave an account without a profile, and every loser gets a code, not an internal error', async () => {
    const profilesOf = (accountId: string) => dataset.profiles.filter((p) => p.accountId === accountId).map((p) => p.id);
    const accounts = dataset.accounts.filter((a) => !a.id.startsWith('demo') && profilesOf(a.id).length === 2).slice(0, 6);
    expect(accounts.length).toBeGreaterThan(2);
    const title = dataset.titles.find((t) => t.maturityRating === 'ALL')!.id;
    const results = await Promise.all(accounts.flatMap((a) => profilesOf(a.id).flatMap((id) => [
      sg.run('DeleteProfile', { id }),
      sg.run('UpdateProfile', { id, input: { name: `Renamed ${id}` } }),
      sg.run('AddToMyList', { profileId: id, titleId: title }),
    ])));
    for (const account of accounts) {
      const picker = await sg.run('ProfilePicker', { accountId: account.id });
      expect({ account: account.id, profiles: picker.data!.account.profiles.length }).toEqual({ account: account.id, profiles: 1 });
    }
    const errors = results.flatMap((r) => r.errors ?? []);
    expect(errors.length).toBeGreaterThanOrEqual(accounts.length);
    for (const error of errors) {
      expect(['FORBIDDEN', 'NOT_FOUND']).toContain(error.extensions?.code);
      expect(error.message).not.toMatch(/prisma|invocation|\.ts:\d+/i);
    }
  });
});
