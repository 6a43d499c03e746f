import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { Fetcher } from '@apollo/utils.fetcher';
import { createDataSource } from './subgraphDataSource';

/** A subgraph answering every fetch with one fixed HTTP response. */
function answering(status: number, body: object): Fetcher {
  return (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as unknown as Fetcher;
}

const process = (fetcher: Fetcher) =>
  createDataSource('profile', 'http://profile.internal:4001/graphql', fetcher).process({
    kind: GraphQLDataSourceRequestKind.HEALTH_CHECK,
    request: { query: '{ viewer { account { id } } }' },
    context: {},
  });

describe('SubgraphDataSource', () => {
  it("reports a subgraph's refusal of the credential as UNAUTHENTICATED, in the subgraph's words, without its address", async () => {
    const error = await process(answering(401, { errors: [{ message: 'this sign-in has ended (signed out); sign in again' }] })).catch((e) => e);
    expect(error.message).toBe('this sign-in has ended (signed out); sign in again');
    expect(error.extensions).toEqual({ code: 'UNAUTHENTICATED', serviceName: 'profile' });
    expect(JSON.stringify(error.extensions)).not.toContain('profile.internal');
  });

  it('leaves other failures to their own handling (a 5xx is the subgraph being unavailable)', async () => {
    const error = await process(answering(500, { errors: [{ message: 'boom' }] })).catch((e) => e);
    expect(error.extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
  });
});
