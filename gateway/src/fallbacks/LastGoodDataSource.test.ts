import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError, parse } from 'graphql';
import { credentialRejected } from '../auth/credentialRejected';
import { subgraphUnavailable } from '../resilience/subgraphErrors';
import { LastGoodDataSource } from './LastGoodDataSource';
import { createLastGoodStore } from './LastGoodStore';

const QUERY = 'query Q__recommendation__1($representations:[_Any!]!){_entities(representations:$representations){...on Profile{homeRows{id}}}}';
const options = (accountId: string) => ({
  kind: 'incoming operation',
  request: { query: QUERY, variables: { representations: [{ __typename: 'Profile', id: 'p-1', maturityRating: 'ALL' }] } },
  document: parse(QUERY),
  context: { viewer: { accountId } },
}) as unknown as GraphQLDataSourceProcessOptions;

function subgraph() {
  let failure: Error | undefined;
  const source: GraphQLDataSource = {
    process: async () => {
      if (failure) throw failure;
      return { data: { _entities: [{ homeRows: [{ id: 'row-1' }] }] } };
    },
  };
  return { source, failWith: (err: Error | undefined) => (failure = err) };
}

describe('LastGoodDataSource', () => {
  it.each([
    ['a refused credential (401, UNAUTHENTICATED)', credentialRejected({ errors: [{ message: 'the access token was revoked' }] })],
    ['FORBIDDEN', new GraphQLError('not yours', { extensions: { code: 'FORBIDDEN' } })],
    ['HTTP 403', new GraphQLError('403: Forbidden', { extensions: { response: { status: 403 } } })],
    ['HTTP 401 without a code', new GraphQLError('401: Unauthorized', { extensions: { response: { status: 401 } } })],
  ])('never stands in for %s: the refusal reaches the client', async (_name, refusal) => {
    const { source, failWith } = subgraph();
    const bounds = { maxAgeSeconds: 60, maxEntries: 100, maxEntriesPerViewer: 10 };
    const ds = new LastGoodDataSource(source, 'recommendation', bounds, createLastGoodStore(bounds));
    expect((await ds.process(options('a-1'))).data).toEqual({ _entities: [{ homeRows: [{ id: 'row-1' }] }] });
    await new Promise((resolve) => setImmediate(resolve));
    failWith(refusal);
    await expect(ds.process(options('a-1'))).rejects.toBe(refusal);
    // A subgraph outage still gets the last good answer.
    failWith(subgraphUnavailable('recommendation', 'unreachable'));
    expect((await ds.process(options('a-1'))).data).toEqual({ _entities: [{ homeRows: [{ id: 'row-1' }] }] });
  });
});

describe('the in-memory last good store', () => {
  it('keeps the newest answers per viewer and in total', async () => {
    const store = createLastGoodStore({ maxAgeSeconds: 60, maxEntries: 5, maxEntriesPerViewer: 3 });
    for (let i = 1; i <= 4; i += 1) await store.put('a', [[`k${i}`, `a${i}`]]);
    expect(await store.get('a', ['k1', 'k2', 'k3', 'k4'])).toEqual([null, 'a2', 'a3', 'a4']);
    // Rewriting an entry makes it the newest.
    await store.put('a', [['k2', 'a2']]);
    await store.put('a', [['k5', 'a5']]);
    expect(await store.get('a', ['k2', 'k3', 'k4', 'k5'])).toEqual(['a2', null, 'a4', 'a5']);
    // Viewers never see each other's entries, and the total bound holds across them.
    expect(await store.get('b', ['k2'])).toEqual([null]);
    await store.put('b', [['k1', 'b1'], ['k2', 'b2'], ['k3', 'b3']]);
    const kept = [...(await store.get('a', ['k2', 'k4', 'k5'])), ...(await store.get('b', ['k1', 'k2', 'k3']))];
    expect(kept.filter(Boolean)).toHaveLength(5);
    expect(await store.get('b', ['k1', 'k2', 'k3'])).toEqual(['b1', 'b2', 'b3']);
  });
});
