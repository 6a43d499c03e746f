import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { ErrorCode, SUBGRAPH_NAMES } from '@streaming/platform/core';
import { GraphQLError } from 'graphql';
import { deadlineOf } from './requestDeadline';
import { subgraphTimeout, subgraphUnavailable } from './subgraphErrors';

/**
 * Failure injection for client teams (development and staging only; refused in production by
 * the config): `x-fault: recommendation=error, catalog=delay:1500` makes those subgraphs fail or
 * slow down for this one request, so a UI team can build its degraded states from Sandbox.
 *
 * - `error`: the subgraph is treated as down (SUBGRAPH_UNAVAILABLE; fallbacks apply).
 * - `delay:<ms>`: the fetch starts that much later; past the fetch timeout it is a GATEWAY_TIMEOUT.
 * - `timeout`: the subgraph hangs; the fetch times out.
 *
 * The fault sits above the retry and circuit-breaker layers: one person's experiment must not
 * open a circuit for everybody else.
 */
export const FAULT_HEADER = 'x-fault';

export type Fault = { kind: 'error' } | { kind: 'delay'; ms: number } | { kind: 'timeout' };

export function parseFaultHeader(value: string): Map<string, Fault> {
  const faults = new Map<string, Fault>();
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([a-z-]+)\s*=\s*(error|timeout|delay:(\d{1,6}))$/.exec(part);
    if (!match || !SUBGRAPH_NAMES.includes(match[1] as (typeof SUBGRAPH_NAMES)[number])) {
      throw new GraphQLError(
        `${FAULT_HEADER} must look like "recommendation=error, catalog=delay:1500" (subgraphs: ${SUBGRAPH_NAMES.join(', ')}; faults: error, timeout, delay:<ms>); got "${part}"`,
        { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } },
      );
    }
    faults.set(match[1], match[3] ? { kind: 'delay', ms: Number(match[3]) } : { kind: match[2] as 'error' | 'timeout' });
  }
  return faults;
}

/** Rejects a malformed header before anything runs, rather than failing one fetch obscurely. */
export function faultHeaderPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart({ request }) {
      return {
        async didResolveOperation() {
          const header = request.http?.headers.get(FAULT_HEADER);
          if (header) parseFaultHeader(header);
        },
      };
    },
  };
}

function faultFor(options: GraphQLDataSourceProcessOptions, serviceName: string): Fault | undefined {
  if (!('incomingRequestContext' in options)) return undefined;
  const header = options.incomingRequestContext.request.http?.headers.get(FAULT_HEADER);
  return header ? parseFaultHeader(header).get(serviceName) : undefined;
}

export class FaultInjectingDataSource implements GraphQLDataSource {
  constructor(
    private readonly inner: GraphQLDataSource,
    private readonly serviceName: string,
    private readonly fetchTimeoutMs: number,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const fault = faultFor(options, this.serviceName);
    if (!fault) return this.inner.process(options);
    if (fault.kind === 'error') throw subgraphUnavailable(this.serviceName, 'injected');
    const deadline = 'incomingRequestContext' in options ? deadlineOf(options.context) : undefined;
    const bound = Math.min(this.fetchTimeoutMs, deadline === undefined ? Infinity : Math.max(0, deadline - Date.now()));
    const wait = fault.kind === 'timeout' ? bound : Math.min(fault.ms, bound);
    await new Promise((resolve) => setTimeout(resolve, wait));
    if (wait >= bound) throw subgraphTimeout(this.serviceName, bound, bound < this.fetchTimeoutMs ? 'request deadline' : 'fetch timeout');
    return this.inner.process(options);
  }
}
