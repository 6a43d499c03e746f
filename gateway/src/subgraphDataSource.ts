import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher, FetcherHeaders, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { createLogger, ErrorCode, REQUEST_ID_HEADER, requestIdOf, type InternalCredentialSigner } from '@streaming/platform/core';
import { GraphQLError } from 'graphql';
import { STATUS_CODES } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
import { credentialRejected } from './auth/credentialRejected';
import { forwardClientAddress } from './auth/forwardClientAddress';
import { forwardCredential } from './auth/forwardCredential';
import type { GatewayContext } from './auth/gatewayContext';
import { hintFromResponse, restrictCachePolicy } from './http/subgraphCacheHints';
import { fetchSignalOf } from './resilience/TimeoutDataSource';
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
    const { statusCode, headers, body } = await dispatcher.request({
      ...target,
      method: (init.method ?? 'POST') as Dispatcher.HttpMethod,
      headers: init.headers,
      body: init.body,
      signal: init.signal,
    });
    return new BufferedResponse(url, statusCode, new ReceivedHeaders(headers), await body.text());
  };
  return Object.assign(fetcher, { close: () => dispatcher.close() });
}

/**
 * A subgraph's answer's headers as undici parsed them (names in lower case), read in place. The
 * data source reads two of them (`Content-Type`, `Cache-Control`); copying them all into a
 * WHATWG `Headers`, which checks every name and value as it goes, was a cost per fetch for that.
 */
class ReceivedHeaders implements FetcherHeaders {
  constructor(private readonly raw: Record<string, string | string[] | undefined>) {}

  get(name: string): string | null {
    const key = name.toLowerCase();
    // Own names only: a header asked for as `constructor` is not the object's.
    const value = Object.hasOwn(this.raw, key) ? this.raw[key] : undefined;
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  set(name: string, value: string): void {
    this.raw[name.toLowerCase()] = value;
  }

  append(name: string, value: string): void {
    const had = this.get(name);
    this.set(name, had === null ? value : `${had}, ${value}`);
  }

  delete(name: string): void {
    this.raw[name.toLowerCase()] = undefined;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw).sort()) {
      const value = this.get(name);
      if (value !== null) yield [name, value];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/** A subgraph's answer, read whole: what the data source reads of a fetch response. */
class BufferedResponse implements FetcherResponse {
  readonly bodyUsed = false;
  readonly redirected = false;

  constructor(readonly url: string, readonly status: number, readonly headers: FetcherHeaders, private readonly body: string) {}

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

  /**
   * One fetch, as RemoteGraphQLDataSource's `process` makes it (the same body, byte for byte, and
   * the same handling of the answer) without what that costs on every fetch: it copies the
   * request's headers into a node-fetch `Headers`, copies those into an object (sorting the
   * names on the way), and builds a node-fetch `Request` (parsing the URL again) only to pass it
   * to hooks that never read it. Here the headers are one object, built from nothing: the
   * gateway forwards no header of the client's, only what it says itself.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    if (!request.query) throw new Error('Missing query');
    // The body stock sends: the query first, then the rest of the request but its HTTP part.
    const { query, http: _http, ...rest } = request;
    const init: FetcherRequestInit = {
      method: 'POST',
      headers: this.headersFor(context),
      body: JSON.stringify({ query, ...rest }),
      signal: fetchSignalOf(request),
    };
    let fetched: FetcherResponse | undefined;
    try {
      fetched = await this.fetcher(this.url, init);
      if (!fetched.ok) throw await this.errorFromResponse(fetched);
      const body = await this.parseBody(fetched);
      if (typeof body !== 'object' || body === null) throw new Error(`Expected JSON response body, but received: ${body}`);
      const response: GatewayGraphQLResponse = { ...body, http: fetched };
      // The answer's Cache-Control narrows the client's response's, as stock's `respond` does.
      if (this.honorSubgraphCacheControlHeader) restrictCachePolicy(options, hintFromResponse(response));
      return response;
    } catch (error) {
      throw this.fetchFailed(error, fetched);
    }
  }

  /** Who the fetch is for and from (`forwardCredential`, `forwardClientAddress`), and the request id the subgraph logs under. */
  private headersFor(context: Partial<GatewayContext> | undefined): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    forwardCredential(headers, context, this.internalCredentials?.credentialFor(this.serviceName));
    forwardClientAddress(headers, context);
    const requestId = requestIdOf(context);
    if (requestId) headers[REQUEST_ID_HEADER] = requestId;
    return headers;
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

  /** What a failed fetch is reported as (the error `process` throws). */
  private fetchFailed(error: unknown, fetchResponse: FetcherResponse | undefined): unknown {
    if (error instanceof SubgraphCallError) return error;
    if (!fetchResponse) return subgraphUnavailable(this.serviceName, 'unreachable');
    if (fetchResponse.status >= 500) return subgraphFailed(this.serviceName, fetchResponse.status);
    if (error instanceof GraphQLError) {
      return new GraphQLError(error.message, { extensions: { ...error.extensions, serviceName: this.serviceName } });
    }
    return error;
  }
}

export function createDataSource(name: string, url: string, fetcher: Fetcher, internalCredentials?: InternalCredentialSigner): RemoteGraphQLDataSource<GatewayContext> {
  return new SubgraphDataSource(name, url, fetcher, internalCredentials);
}
