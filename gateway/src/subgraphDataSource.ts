import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { createLogger, ErrorCode, REQUEST_ID_HEADER, requestIdOf, type InternalCredentialSigner } from '@streaming/platform/core';
import { GraphQLError } from 'graphql';
import { STATUS_CODES } from 'node:http';
import { Agent, Headers, type Dispatcher } from 'undici';
import { credentialRejected } from './auth/credentialRejected';
import { forwardClientAddress } from './auth/forwardClientAddress';
import { forwardCredential } from './auth/forwardCredential';
import type { GatewayContext } from './auth/gatewayContext';
import { takeFetchSignal } from './resilience/TimeoutDataSource';
import { SubgraphCallError, subgraphFailed, subgraphRefusedGateway, subgraphUnavailable } from './resilience/subgraphErrors';

const log = createLogger('gateway');

export interface FetcherOptions {
  /** Open connections per subgraph; fetches beyond wait in undici's queue. @default 64 */
  connections?: number;
  /** Header and body timeouts: a backstop below the per-fetch abort signal. @default 3000 */
  timeoutMs?: number;
}

/**
 * The gateway talks to a handful of subgraphs, request after request: keeping connections open
 * (and enough of them for concurrent fetches) saves a TCP handshake per subgraph fetch, which
 * at home-screen fan-out is most of the gateway's own latency. The pool is bounded, and so is
 * every wait on it: a subgraph that accepts connections and never answers must not hold the
 * gateway's sockets (or queue its requests) for undici's default five minutes.
 */
/** A fetcher with its connection pools; `close()` ends them when the gateway stops. */
export type SubgraphFetcher = Fetcher & { close(): Promise<void> };

export function createSubgraphFetcher(options: FetcherOptions = {}): SubgraphFetcher {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const dispatcher = new Agent({
    keepAliveTimeout: 30_000,
    connections: options.connections ?? 64,
    pipelining: 1,
    connectTimeout: timeoutMs,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  // undici's request(), not its fetch(): fetch wraps every body in WHATWG streams and clones the
  // request to follow redirects a subgraph never sends, which was most of undici's time in a
  // profile of the gateway (bench/README.md). A subgraph's answer is one small JSON body, read
  // whole, so a buffered response serves Apollo's data source as well as fetch's did.
  const origins = new Map<string, { origin: string; path: string }>();
  const fetcher: Fetcher = async (url: string, init: FetcherRequestInit = {}) => {
    let target = origins.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      if (origins.size < 100) origins.set(url, target);
    }
    const sent = takeFetchSignal(init.headers as Record<string, string> | undefined);
    const { statusCode, headers, body } = await dispatcher.request({
      ...target,
      method: (init.method ?? 'POST') as Dispatcher.HttpMethod,
      headers: sent.headers,
      body: init.body,
      signal: sent.signal,
    });
    const answer = new Headers();
    for (const [name, value] of Object.entries(headers)) {
      if (Array.isArray(value)) for (const v of value) answer.append(name, v);
      else if (value !== undefined) answer.append(name, value);
    }
    return new BufferedResponse(url, statusCode, answer, await body.text());
  };
  return Object.assign(fetcher, { close: () => dispatcher.close() });
}

/** A subgraph's answer, read whole: what `RemoteGraphQLDataSource` reads of a fetch response. */
class BufferedResponse implements FetcherResponse {
  readonly bodyUsed = false;
  readonly redirected = false;

  constructor(readonly url: string, readonly status: number, readonly headers: Headers, private readonly body: string) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get statusText(): string {
    return STATUS_CODES[this.status] ?? '';
  }

  async text(): Promise<string> {
    return this.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(this.body);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  clone(): BufferedResponse {
    return new BufferedResponse(this.url, this.status, this.headers, this.body);
  }
}

/**
 * A subgraph that can't be reached, or answers with a 5xx, is reported to the client by name and
 * with a code it can act on (render the rest, retry later), not as "fetch failed" or a status
 * line with the subgraph's URL attached; the other subgraphs' data in the same response is
 * still returned.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly serviceName: string,
    url: string,
    fetcher: Fetcher,
    /** The gateway's internal credential, signed per subgraph and reused until renewal; none when off. */
    private readonly internalCredentials?: InternalCredentialSigner,
  ) {
    super({ url, fetcher });
  }

  override willSendRequest({ request, context }: Parameters<RemoteGraphQLDataSource<GatewayContext>['willSendRequest'] & {}>[0]): void {
    forwardCredential(request, context, this.internalCredentials?.credentialFor(this.serviceName));
    forwardClientAddress(request, context);
    // The subgraphs log under the same request id as the gateway.
    const requestId = requestIdOf(context);
    if (requestId) request.http?.headers.set(REQUEST_ID_HEADER, requestId);
  }

  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    if (response.status !== 401 && response.status !== 403) return super.errorFromResponse(response);
    const body = await this.parseBody(response.clone()).catch(() => null);
    const refusal = (body as { errors?: { message?: string; extensions?: { code?: string } }[] } | null)?.errors?.[0];
    if (refusal?.extensions?.code === ErrorCode.INTERNAL_CREDENTIAL_REJECTED) {
      log.error(`${this.serviceName} refused the gateway's internal credential (${refusal.message}): INTERNAL_AUTH_SECRET differs between them, or is missing here`);
      return subgraphRefusedGateway(this.serviceName);
    }
    return response.status === 401 ? credentialRejected(body) : super.errorFromResponse(response);
  }

  override didEncounterError(error: Error, fetchRequest: Parameters<RemoteGraphQLDataSource['didEncounterError']>[1], fetchResponse?: FetcherResponse): void {
    if (error instanceof SubgraphCallError) throw error;
    if (!fetchResponse) throw subgraphUnavailable(this.serviceName, 'unreachable');
    if (fetchResponse.status >= 500) throw subgraphFailed(this.serviceName, fetchResponse.status);
    if (error instanceof GraphQLError) {
      throw new GraphQLError(error.message, { extensions: { ...error.extensions, serviceName: this.serviceName } });
    }
    return super.didEncounterError(error, fetchRequest, fetchResponse);
  }
}

export function createDataSource(name: string, url: string, fetcher: Fetcher, internalCredentials?: InternalCredentialSigner): RemoteGraphQLDataSource<GatewayContext> {
  return new SubgraphDataSource(name, url, fetcher, internalCredentials);
}
