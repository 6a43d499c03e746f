import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { deadlineOf } from './requestDeadline';
import { subgraphTimeout } from './subgraphErrors';

/*
 * The abort signal rides on the request the layers below receive, under a symbol: the data
 * source that fetches (subgraphDataSource.ts) hands it to the fetcher, and nothing else reads
 * it. A symbol-keyed property survives the layers' object spreads and is never serialized, so it
 * can't reach the subgraph. It used to go through an AsyncLocalStorage, which on Node 20 puts
 * async_hooks' promise hooks on every promise of the process (observability/requestContext.ts in
 * the platform package says what that cost), then as a handle in a header of the gateway's own,
 * which cost a copy of the headers per fetch.
 */
const FETCH_SIGNAL = Symbol('fetch signal');

/** The signal that bounds this fetch, if a TimeoutDataSource above set one. */
export function fetchSignalOf(request: object): AbortSignal | undefined {
  return (request as { [FETCH_SIGNAL]?: AbortSignal })[FETCH_SIGNAL];
}

/**
 * Bounds one subgraph fetch by its own timeout and by what is left of the request's deadline,
 * and really cancels it (the socket is released, the subgraph sees the client go) instead of
 * merely no longer waiting: a hung subgraph costs a request at most this long, and the
 * connections it holds are freed rather than piling up.
 */
export class TimeoutDataSource implements GraphQLDataSource {
  constructor(
    private readonly inner: GraphQLDataSource,
    private readonly serviceName: string,
    private readonly fetchTimeoutMs: number,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const deadline = 'incomingRequestContext' in options ? deadlineOf(options.context) : undefined;
    const remaining = deadline === undefined ? Infinity : deadline - Date.now();
    if (remaining <= 0) throw subgraphTimeout(this.serviceName, 0, 'request deadline');
    const timeoutMs = Math.min(this.fetchTimeoutMs, remaining);
    // Not AbortSignal.timeout: its timer can't be cleared, so every fetch's signal and timer
    // outlived the fetch by the whole timeout (3 s by default: thousands of them alive at a
    // gateway's rate, old enough to be promoted) and then fired for nothing, building a
    // DOMException with its stack each time. This timer goes with the fetch.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), timeoutMs);
    const request = { ...options.request, [FETCH_SIGNAL]: controller.signal };
    try {
      return await this.inner.process({ ...options, request } as GraphQLDataSourceProcessOptions);
    } catch (err) {
      if (!controller.signal.aborted) throw err;
      throw subgraphTimeout(this.serviceName, timeoutMs, timeoutMs < this.fetchTimeoutMs ? 'request deadline' : 'fetch timeout');
    } finally {
      clearTimeout(timer);
    }
  }
}
