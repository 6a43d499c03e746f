import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { currentRequestId, ErrorCode, REQUEST_ID_HEADER } from '@streaming/shared';
import { GraphQLError } from 'graphql';
import { Agent, fetch as undiciFetch } from 'undici';
import { forwardCredential } from './auth/forwardCredential';
import type { GatewayContext } from './auth/gatewayContext';

/**
 * The gateway talks to a handful of subgraphs, request after request: keeping connections open
 * (and enough of them for concurrent fetches) saves a TCP handshake per subgraph fetch, which
 * at home-screen fan-out is most of the gateway's own latency.
 */
export function createSubgraphFetcher(): Fetcher {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 64, pipelining: 1 });
  return ((url: string, init?: Parameters<typeof undiciFetch>[1]) => undiciFetch(url, { ...init, dispatcher })) as unknown as Fetcher;
}

/**
 * A subgraph that can't be reached is reported to the client by name and with a code it can
 * act on (render the rest, retry later), not as "fetch failed"; the other subgraphs' data in the
 * same response is still returned.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly serviceName: string, url: string, fetcher: Fetcher) {
    super({ url, fetcher });
  }

  override willSendRequest({ request, context }: Parameters<RemoteGraphQLDataSource<GatewayContext>['willSendRequest'] & {}>[0]): void {
    forwardCredential(request, context);
    // The subgraphs log under the same request id as the gateway.
    const requestId = currentRequestId();
    if (requestId) request.http?.headers.set(REQUEST_ID_HEADER, requestId);
  }

  override didEncounterError(error: Error, fetchRequest: Parameters<RemoteGraphQLDataSource['didEncounterError']>[1], fetchResponse?: FetcherResponse): void {
    if (fetchResponse) return super.didEncounterError(error, fetchRequest, fetchResponse);
    throw new GraphQLError(`The ${this.serviceName} service is unavailable`, {
      extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.serviceName },
    });
  }
}

export function createDataSource(name: string, url: string, fetcher: Fetcher): RemoteGraphQLDataSource<GatewayContext> {
  return new SubgraphDataSource(name, url, fetcher);
}
