import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Headers } from 'undici';
import { deadlineOf } from './requestDeadline';
import { subgraphTimeout } from './subgraphErrors';

/*
 * Apollo's data source builds the fetch's arguments itself (RemoteGraphQLDataSource.sendRequest:
 * method, headers, body) and passes nothing else to the fetcher, so the abort signal goes as a
 * handle in a header of the gateway's own, which the fetcher takes out before anything is sent
 * (`takeFetchSignal`). It used to go through an AsyncLocalStorage, which on Node 20 puts
 * async_hooks' promise hooks on every promise of the process (observability/requestContext.ts
 * in the platform package says what that cost).
 */
const FETCH_SIGNAL_HEADER = 'x-gateway-fetch-signal';
const pendingSignals = new Map<string, AbortSignal>();
let lastHandle = 0;

/** The signal that bounds this fetch, if any, and its headers as they go to the subgraph. */
export function takeFetchSignal(headers: Record<string, string> | undefined): { signal?: AbortSignal; headers?: Record<string, string> } {
  const handle = headers?.[FETCH_SIGNAL_HEADER];
  if (handle === undefined) return { headers };
  const { [FETCH_SIGNAL_HEADER]: _, ...rest } = headers!;
  return { signal: pendingSignals.get(handle), headers: rest };
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
    const handle = String((lastHandle += 1));
    pendingSignals.set(handle, signal);
    // A copy of the request: the headers it brings are copied into the fetch's own (RemoteGraphQLDataSource.process).
    const headers = new Headers();
    for (const [name, value] of (options.request.http?.headers ?? []) as Iterable<[string, string]>) headers.append(name, value);
    headers.set(FETCH_SIGNAL_HEADER, handle);
    const request = { ...options.request, http: { method: 'POST', url: '', ...options.request.http, headers } };
    try {
      return await this.inner.process({ ...options, request } as GraphQLDataSourceProcessOptions);
    } catch (err) {
      if (!signal.aborted) throw err;
      throw subgraphTimeout(this.serviceName, timeoutMs, timeoutMs < this.fetchTimeoutMs ? 'request deadline' : 'fetch timeout');
    } finally {
      pendingSignals.delete(handle);
    }
  }
}
