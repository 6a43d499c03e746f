import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { Fetcher, FetcherRequestInit } from '@apollo/utils.fetcher';
import { CLIENT_ADDRESS_HEADER, contextWithRequestId, internalAuthConfigFromEnv, InternalCredentialSigner, InternalCredentialVerifier, REQUEST_ID_HEADER } from '@streaming/platform';
import type { GatewayContext } from './auth/gatewayContext';
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

  /*
   * The data source makes its fetch itself rather than through RemoteGraphQLDataSource's
   * process: what it sends and what it makes of the answer must stay stock's.
   */
  describe('against stock RemoteGraphQLDataSource', () => {
    const url = 'http://catalog.internal:4002/graphql';

    /** Each fetch's init, answered with `cacheControl` as the subgraph's Cache-Control. */
    function recording(cacheControl?: string): { fetcher: Fetcher; sent: FetcherRequestInit[] } {
      const sent: FetcherRequestInit[] = [];
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      if (cacheControl) headers['cache-control'] = cacheControl;
      const fetcher = (async (_url: string, init: FetcherRequestInit) => {
        sent.push(init);
        return new Response(JSON.stringify({ data: { genres: [{ id: 'g1' }] } }), { status: 200, headers });
      }) as unknown as Fetcher;
      return { fetcher, sent };
    }

    /** An incoming operation whose response's cache policy records what each fetch narrows it by. */
    function incoming(request: GraphQLDataSourceProcessOptions['request']): { options: GraphQLDataSourceProcessOptions<GatewayContext>; hints: unknown[] } {
      const hints: unknown[] = [];
      const incomingRequestContext = { overallCachePolicy: { restrict: (hint: unknown) => hints.push(hint) } };
      const options = { kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION, request, incomingRequestContext, context: {} } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
      return { options, hints };
    }

    it.each([
      ['query first', { query: '{ genres { id } }', variables: { a: 1 }, operationName: 'G' }],
      ['query last, with extensions', { variables: { representations: [{ __typename: 'Title', id: 't1' }] }, operationName: null, extensions: { x: 1 }, query: '{ genres { id } }' }],
    ])('sends the body stock sends, byte for byte (%s)', async (_name, request) => {
      const ours = recording();
      const stock = recording();
      const answer = await createDataSource('catalog', url, ours.fetcher).process(incoming({ ...request } as never).options);
      const stockAnswer = await new RemoteGraphQLDataSource({ url, fetcher: stock.fetcher }).process(incoming({ ...request } as never).options as never);
      expect(ours.sent[0].body).toBe(stock.sent[0].body);
      expect(ours.sent[0].method).toBe('POST');
      expect(ours.sent[0].headers?.['content-type']).toBe('application/json');
      expect(answer.data).toEqual(stockAnswer.data);
    });

    it.each([['max-age=60, public'], ['private, max-age=5'], ['no-store'], [undefined]])(
      "narrows the response's cache policy by the subgraph's Cache-Control as stock does (%s)",
      async (cacheControl) => {
        const ours = incoming({ query: '{ genres { id } }' });
        const stock = incoming({ query: '{ genres { id } }' });
        await createDataSource('catalog', url, recording(cacheControl).fetcher).process(ours.options);
        await new RemoteGraphQLDataSource({ url, fetcher: recording(cacheControl).fetcher }).process(stock.options as never);
        expect(ours.hints).toEqual(stock.hints);
        expect(ours.hints).toHaveLength(1);
      },
    );

    it("forwards the viewer's token, the client's address and the request id, and nothing of the request's own headers", async () => {
      const { fetcher, sent } = recording();
      const { options } = incoming({ query: '{ genres { id } }', http: { method: 'POST', url, headers: new Headers({ cookie: 'a=b', 'x-viewer-id': 'someone' }) } } as never);
      (options as { context: object }).context = contextWithRequestId({ viewer: { credential: 'tok' }, clientAddress: '203.0.113.9' }, 'req-1');
      await createDataSource('catalog', url, fetcher).process(options);
      expect(sent[0].headers).toEqual({
        'content-type': 'application/json', authorization: 'Bearer tok', [CLIENT_ADDRESS_HEADER]: '203.0.113.9', [REQUEST_ID_HEADER]: 'req-1',
      });
    });
  });
});
