import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { parse } from 'graphql';
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

  it('never caches other operations, and keeps different selections apart', async () => {
    const { source, calls } = recordingSubgraph((reps) => ({ data: { _entities: reps.map((r) => ({ id: r.id })) } }));
    const ds = new EntityCachingDataSource(source, { ttlSeconds: 60, maxEntries: 100 });
    await fetch(ds, ['a']);
    await fetch(ds, ['a'], QUERY.replace('{name}', '{name kind}'));
    expect(calls).toEqual([['a'], ['a']]);
    const mutation = 'mutation M($representations:[_Any!]!){_entities(representations:$representations){...on Title{name}}}';
    await fetch(ds, ['a'], mutation);
    await fetch(ds, ['a'], mutation);
    expect(calls.length).toBe(4);
  });

  it('sends every fetch with a non-public typename to the subgraph, the public ones in it included', async () => {
    const { source, calls } = recordingSubgraph((reps) => ({ data: { _entities: reps.map((r) => ({ id: r.id })) } }));
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
