import { AsyncLocalStorage } from 'node:async_hooks';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { deadlineOf } from './requestDeadline';
import { subgraphTimeout } from './subgraphErrors';

/**
 * The data source builds the fetch's arguments itself (RemoteGraphQLDataSource.sendRequest), so
 * the abort signal reaches the fetcher through the async context rather than as an argument.
 */
const fetchSignals = new AsyncLocalStorage<AbortSignal>();

/** The signal that bounds the subgraph fetch running in this async context, if any. */
export function currentFetchSignal(): AbortSignal | undefined {
  return fetchSignals.getStore();
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
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      return await fetchSignals.run(signal, () => this.inner.process(options));
    } catch (err) {
      if (!signal.aborted) throw err;
      throw subgraphTimeout(this.serviceName, timeoutMs, timeoutMs < this.fetchTimeoutMs ? 'request deadline' : 'fetch timeout');
    }
  }
}
