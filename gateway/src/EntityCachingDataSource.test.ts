import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { buildSchema, graphql, parse } from 'graphql';
import { EntityCachingDataSource } from './EntityCachingDataSource';

/** The subgraph side is a recording stub: this is a unit test of the cache's bookkeeping. */
function recordingSubgraph(answer: (reps: { id: string }[]) => { data: any; errors?: any[] }) {
  const calls: string[][] = [];
  const source: GraphQLDataSource = {
    process: async (options) => {
      const reps = options.request.variables!.representations as { id: string }[];
      calls.push(reps.map((r) => r.id));
      return answer(reps);
    },
  };
  return { source, calls };
}

/**
 * A catalog with real GraphQL execution (graphql-js over a small schema): it answers whatever a
 * fetch asks, aliases and added fields included, and records each query it was sent; `down`
 * makes every fetch fail as an unreachable subgraph's does.
 */
function catalogSubgraph() {
  const schema = buildSchema(`
    scalar _Any
    union _Entity = Title
    enum ArtworkType { HERO BOXART }
    type Artwork { url: String! }
    type Genre { id: ID! name: String! }
    type Title { id: ID! name: String! kind: String! releaseYear: Int! artwork(type: ArtworkType!): Artwork genres: [Genre!]! }
    type Query { _entities(representations: [_Any!]!): [_Entity]! }
  `);
  const title = (id: string) => ({
    __typename: 'Title', id, name: `Title ${id}`, kind: 'MOVIE', genres: [{ id: `g-${id}`, name: 'Drama' }],
    releaseYear: () => { if (id === 'broken-year') throw new Error('no year'); return 2001; },
    artwork: ({ type }: { type: string }) => ({ url: `${type.toLowerCase()}/${id}` }),
  });
  const calls: string[] = [];
  const state = { down: false };
  const source: GraphQLDataSource = {
    process: async (options) => {
      calls.push(options.request.query!);
      if (state.down) throw new Error('catalog down');
      const rootValue = { _entities: ({ representations }: { representations: { id: string }[] }) => representations.map((r) => title(r.id)) };
      return (await graphql({ schema, source: options.request.query!, variableValues: options.request.variables, rootValue })) as never;
    },
  };
  return { source, calls, state };
}

const QUERY = 'query Q__catalog__1($representations:[_Any!]!){_entities(representations:$representations){...on Title{name}}}';
const fetch = (ds: EntityCachingDataSource, ids: string[], query = QUERY, typename = 'Title') =>
  ds.process({
    kind: 'incoming operation', request: { query, variables: { representations: ids.map((id) => ({ __typename: typename, id })) } },
    document: parse(query), context: {},
  } as unknown as GraphQLDataSourceProcessOptions);

describe('EntityCachingDataSource', () => {
  it('fetches only misses, keeps order, and re-indexes error paths', async () => {
    const { source, calls } = recordingSubgraph((reps) => ({
      data: { _entities: reps.map((r) => (r.id === 'bad' ? null : { name: `Title ${r.id}` })) },
      errors: reps.some((r) => r.id === 'bad') ? [{ message: 'boom', path: ['_entities', reps.findIndex((r) => r.id === 'bad'), 'name'] }] : undefined,
    }));
    const ds = new EntityCachingDataSource(source, { ttlSeconds: 60, maxEntries: 100 });
    expect((await fetch(ds, ['a', 'b'])).data).toEqual({ _entities: [{ name: 'Title a' }, { name: 'Title b' }] });
    const mixed = await fetch(ds, ['b', 'bad', 'c', 'a']);
    expect(calls).toEqual([['a', 'b'], ['bad', 'c']]);
    expect(mixed.data).toEqual({ _entities: [{ name: 'Title b' }, null, { name: 'Title c' }, { name: 'Title a' }] });
    expect(mixed.errors).toEqual([{ message: 'boom', path: ['_entities', 1, 'name'] }]);
    // The failed entity isn't cached; the good one fetched with it is.
    await fetch(ds, ['c', 'bad']);
    expect(calls[2]).toEqual(['bad']);
  });

  it('never caches other operations', async () => {
    const { source, calls } = recordingSubgraph((reps) => ({ data: { _entities: reps.map((r) => ({ name: r.id })) } }));
    const ds = new EntityCachingDataSource(source, { ttlSeconds: 60, maxEntries: 100 });
    const mutation = 'mutation M($representations:[_Any!]!){_entities(representations:$representations){...on Title{name}}}';
    await fetch(ds, ['a'], mutation);
    await fetch(ds, ['a'], mutation);
    expect(calls.length).toBe(2);
    // A named fragment or a condition: not compiled, so never answered from the cache.
    const spread = 'query F($representations:[_Any!]!){_entities(representations:$representations){...T}} fragment T on Title{name}';
    const skipped = 'query S($representations:[_Any!]!$no:Boolean!){_entities(representations:$representations){...on Title{name @skip(if:$no)}}}';
    for (const query of [spread, spread, skipped, skipped]) await fetch(ds, ['a'], query);
    expect(calls.length).toBe(6);
  });

  it('keeps each entity once with every field fetched, and serves any selection those fields cover', async () => {
    const { source, calls } = catalogSubgraph();
    const ds = new EntityCachingDataSource(source, { ttlSeconds: 60, maxEntries: 100 });
    const q = (selection: string, name = 'Q__catalog__1') => `query ${name}($representations:[_Any!]!){_entities(representations:$representations){...on Title${selection}}}`;

    await fetch(ds, ['a'], q('{name kind}'));
    // Another operation, another order, an alias, __typename: all served from what is kept, in the order asked.
    const served = await fetch(ds, ['a'], q('{kind __typename label:name}', 'Other__catalog__4'));
    expect(JSON.stringify(served.data)).toBe('{"_entities":[{"kind":"MOVIE","__typename":"Title","label":"Title a"}]}');
    expect(calls).toHaveLength(1);
    // A field never fetched for it: asked of the subgraph, then kept beside the others.
    expect((await fetch(ds, ['a'], q('{name releaseYear}'))).data).toEqual({ _entities: [{ name: 'Title a', releaseYear: 2001 }] });
    expect(calls).toHaveLength(2);
    expect((await fetch(ds, ['a'], q('{releaseYear kind}'))).data).toEqual({ _entities: [{ releaseYear: 2001, kind: 'MOVIE' }] });
    expect(calls).toHaveLength(2);
    // Arguments are part of the field: the hero artwork doesn't answer for the box art.
    await fetch(ds, ['a'], q('{name kind artwork(type:HERO){url}}'));
    expect((await fetch(ds, ['a'], q('{name kind artwork(type:BOXART){url}}'))).data).toEqual({ _entities: [{ name: 'Title a', kind: 'MOVIE', artwork: { url: 'boxart/a' } }] });
    expect((await fetch(ds, ['a'], q('{name kind hero:artwork(type:HERO){url}}'))).data).toEqual({ _entities: [{ name: 'Title a', kind: 'MOVIE', hero: { url: 'hero/a' } }] });
    expect(calls).toHaveLength(4);
    // What a request gets is its own: changing it changes nothing kept.
    const first = (await fetch(ds, ['a'], q('{name kind}'))).data!._entities[0];
    first.name = 'changed';
    expect((await fetch(ds, ['a'], q('{name kind}'))).data).toEqual({ _entities: [{ name: 'Title a', kind: 'MOVIE' }] });
  });

  it('fetches a missing entity with the fields most asked of its type, and answers only what was asked', async () => {
    const { source, calls } = catalogSubgraph();
    const ds = new EntityCachingDataSource(source, { ttlSeconds: 60, maxEntries: 100 });
    const tile = 'query HomeScreen__catalog__3($representations:[_Any!]!){_entities(representations:$representations){...on Title{name kind artwork(type:BOXART){url}genres{id name}}}}';
    const started = 'query StartPlayback__catalog__1($representations:[_Any!]!){_entities(representations:$representations){...on Title{name}}}';
    await fetch(ds, ['a', 'b', 'c'], tile);
    // A title seen first by a started playback: the fetch also asks the tile's fields...
    const playback = await fetch(ds, ['z'], started);
    expect(JSON.stringify(playback.data)).toBe('{"_entities":[{"name":"Title z"}]}');
    expect(calls[1]).toContain('_cached');
    // ...so the home screen it shows up on next is served from the cache.
    const home = await fetch(ds, ['z', 'a'], tile);
    expect(home.data).toEqual({ _entities: [
      { name: 'Title z', kind: 'MOVIE', artwork: { url: 'boxart/z' }, genres: [{ id: 'g-z', name: 'Drama' }] },
      { name: 'Title a', kind: 'MOVIE', artwork: { url: 'boxart/a' }, genres: [{ id: 'g-a', name: 'Drama' }] },
    ] });
    expect(calls).toHaveLength(2);
    // A fetch that asks the tile's fields already is sent as it came.
    await fetch(ds, ['y'], tile.replace('{name kind', '{releaseYear name kind'));
    expect(calls[2]).not.toContain('_cached');
    // Tiles served from the cache count as asked: small fetches that miss don't take over.
    for (const id of ['p', 'q', 'r', 's']) await fetch(ds, [id], started);
    expect(calls.slice(3).map((c) => c.includes('_cached'))).toEqual([true, true, true, true]);
  });

  it('asks again as the request came when a field added for the cache fails', async () => {
    const { source, calls } = catalogSubgraph();
    const ds = new EntityCachingDataSource(source, { ttlSeconds: 60, maxEntries: 100 });
    const tile = 'query T__catalog__3($representations:[_Any!]!){_entities(representations:$representations){...on Title{name kind releaseYear}}}';
    await fetch(ds, ['a', 'b'], tile);
    // The catalog fails releaseYear for this title: the request, which didn't ask it, gets its name.
    const answer = await fetch(ds, ['broken-year'], QUERY);
    expect(answer).toEqual({ data: { _entities: [{ name: 'Title broken-year' }] } });
    expect(calls.slice(1).map((c) => c.includes('_cached'))).toEqual([true, false]);
    // Its name was kept by the second fetch.
    await fetch(ds, ['broken-year'], QUERY);
    expect(calls).toHaveLength(3);
  });

  it('serves a title stale, when the subgraph fails, from whichever fetch brought its fields', async () => {
    const { source, state } = catalogSubgraph();
    const ds = new EntityCachingDataSource(source, { ttlSeconds: 0.01, maxEntries: 100, maxStaleSeconds: 600 });
    await fetch(ds, ['a', 'b'], QUERY.replace('{name}', '{name kind}'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    state.down = true;
    // A tile's shape kept, a playback's shape asked: 'a' is served; 'c' was never fetched.
    const stale = await fetch(ds, ['a', 'c'], QUERY.replace('Q__catalog__1', 'StartPlayback__catalog__1'));
    expect(stale.data).toEqual({ _entities: [{ name: 'Title a' }, null] });
    expect(stale.errors).toEqual([expect.objectContaining({ message: 'catalog down', path: ['_entities', 1] })]);
    // A field never fetched is no more served stale than fresh: nothing to serve, the error as it was.
    await expect(fetch(ds, ['b'], QUERY.replace('{name}', '{releaseYear}'))).rejects.toThrow('catalog down');
  });

  it('keeps the fresh hits of a fetch whose misses the failing subgraph cannot answer', async () => {
    const { source, state } = catalogSubgraph();
    const ds = new EntityCachingDataSource(source, { ttlSeconds: 60, maxEntries: 100, maxStaleSeconds: 600 });
    await fetch(ds, ['a']);
    state.down = true;
    const answer = await fetch(ds, ['a', 'never-fetched']);
    expect(answer.data).toEqual({ _entities: [{ name: 'Title a' }, null] });
    expect(answer.errors).toEqual([expect.objectContaining({ message: 'catalog down', path: ['_entities', 1] })]);
  });

  it('sends every fetch with a non-public typename to the subgraph, the public ones in it included', async () => {
    const { source, calls } = recordingSubgraph((reps) => ({ data: { _entities: reps.map((r) => ({ name: r.id })) } }));
    const ds = new EntityCachingDataSource(source, { ttlSeconds: 60, maxEntries: 100 }, 'catalog');
    const search = 'query S__catalog__0($representations:[_Any!]!){_entities(representations:$representations){...on Profile{search(query:"a"){id}}}}';
    await fetch(ds, ['demo-premium-1'], search, 'Profile');
    await fetch(ds, ['demo-premium-1'], search, 'Profile');
    expect(calls).toEqual([['demo-premium-1'], ['demo-premium-1']]);
    // A type that another subgraph owns (a playback session, say) is not public here either.
    await fetch(ds, ['s-1'], QUERY, 'PlaybackSession');
    await fetch(ds, ['s-1'], QUERY, 'PlaybackSession');
    expect(calls.length).toBe(4);
    // The public type is cached as before.
    await fetch(ds, ['t-1']);
    await fetch(ds, ['t-1']);
    expect(calls.length).toBe(5);
  });

  it('refuses to cache a subgraph with no entities declared public', () => {
    const { source } = recordingSubgraph(() => ({ data: {} }));
    expect(() => new EntityCachingDataSource(source, { ttlSeconds: 60, maxEntries: 100 }, 'profile')).toThrow(/profile has no entities declared public/);
  });
});

describe('EntityCachingDataSource and the response cache policy', () => {
  /** A subgraph answering with a Cache-Control header, and the request policy the data source narrows. */
  const withHint = (header: string, fail = { now: false }) => ({
    process: async (options: GraphQLDataSourceProcessOptions) => {
      if (fail.now) throw new Error('catalog down');
      const reps = options.request.variables!.representations as { id: string }[];
      return { data: { _entities: reps.map((r) => ({ name: `Title ${r.id}` })) }, http: { headers: new Headers({ 'cache-control': header }) } } as never;
    },
  });
  const hinted = (ds: EntityCachingDataSource, ids: string[]) => {
    const restricted: { maxAge?: number; scope?: string }[] = [];
    const options = {
      kind: 'incoming operation', request: { query: QUERY, variables: { representations: ids.map((id) => ({ __typename: 'Title', id })) } },
      document: parse(QUERY), context: {}, incomingRequestContext: { overallCachePolicy: { restrict: (hint: object) => restricted.push(hint) } },
    } as unknown as GraphQLDataSourceProcessOptions;
    return ds.process(options).then((response) => ({ response, restricted }));
  };

  it('narrows the policy by what the subgraph said when a hit was fetched, and makes stale answers uncacheable', async () => {
    const fail = { now: false };
    const ds = new EntityCachingDataSource(withHint('max-age=300, public', fail), { ttlSeconds: 0.05, maxEntries: 100, maxStaleSeconds: 600 });
    await hinted(ds, ['a']);
    const hit = await hinted(ds, ['a']);
    expect(hit.restricted).toHaveLength(1);
    expect(hit.restricted[0].scope).toBe('PUBLIC');
    expect(hit.restricted[0].maxAge).toBeGreaterThan(290);
    expect(hit.restricted[0].maxAge).toBeLessThanOrEqual(300);
    fail.now = true;
    // Past the TTL with the subgraph down: the stale entity is served, and nothing may keep it.
    await new Promise((resolve) => setTimeout(resolve, 60));
    const stale = await hinted(ds, ['a']);
    expect(stale.response.data).toEqual({ _entities: [{ name: 'Title a' }] });
    expect(stale.restricted).toContainEqual({ maxAge: 0 });
  });

  it('keeps a subgraph\'s "uncacheable" with the entity', async () => {
    const ds = new EntityCachingDataSource(withHint('no-store'), { ttlSeconds: 60, maxEntries: 100 });
    await hinted(ds, ['a']);
    expect((await hinted(ds, ['a'])).restricted).toEqual([{ maxAge: 0 }]);
  });
});
