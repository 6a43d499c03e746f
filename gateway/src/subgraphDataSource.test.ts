import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { Fetcher } from '@apollo/utils.fetcher';
import { internalAuthConfigFromEnv, InternalCredentialSigner, InternalCredentialVerifier } from '@streaming/platform';
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

  it("reports a subgraph's refusal of the gateway's own credential as the subgraph being unavailable, not the client's token", async () => {
    const error = await process(answering(401, { errors: [{ message: 'the internal credential has expired', extensions: { code: 'INTERNAL_CREDENTIAL_REJECTED' } }] })).catch((e) => e);
    expect(error.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'profile' });
    expect(error.message).toBe('The profile service is unavailable');
  });

  it('sends the gateway\'s internal credential for that subgraph on every fetch', async () => {
    const config = internalAuthConfigFromEnv({ INTERNAL_AUTH_SECRET: 'c'.repeat(43) })!;
    const sent: (string | null)[] = [];
    const fetcher = (async (_url: string, init: { headers: Record<string, string> }) => {
      sent.push(new Headers(init.headers).get('x-internal-credential'));
      return new Response(JSON.stringify({ data: { viewer: null } }), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as unknown as Fetcher;
    const source = createDataSource('profile', 'http://profile.internal:4001/graphql', fetcher, new InternalCredentialSigner(config, 'gateway'));
    for (let i = 0; i < 2; i++) {
      await source.process({ kind: GraphQLDataSourceRequestKind.HEALTH_CHECK, request: { query: '{ viewer { account { id } } }' }, context: {} });
    }
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe(sent[0]);
    expect(new InternalCredentialVerifier(config, 'profile').verify(sent[0]!)).toBe('gateway');
  });
});
