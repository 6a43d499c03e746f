import { ErrorCode } from '@streaming/platform/core';
import { GraphQLError } from 'graphql';

/** Statuses a subgraph (or a proxy in front of it) answers when it is briefly unable to serve. */
const TRANSIENT_STATUSES = new Set([502, 503, 504]);

/**
 * How a subgraph call failed, in terms the layers around it act on. The client sees only the
 * message, the code and the subgraph's name; never an address (the cause goes to the logs).
 */
export class SubgraphCallError extends GraphQLError {
  constructor(
    code: string,
    readonly serviceName: string,
    message: string,
    /** A fast, transient failure (refused or reset connection): one retry may succeed. */
    readonly retryable: boolean,
    /** Counts toward opening the subgraph's circuit (not a deadline the request had used up). */
    readonly subgraphFault: boolean,
  ) {
    super(message, { extensions: { code, serviceName } });
  }
}

export function subgraphUnavailable(serviceName: string, reason: 'unreachable' | 'circuit open' | 'injected'): SubgraphCallError {
  return new SubgraphCallError(
    ErrorCode.SUBGRAPH_UNAVAILABLE,
    serviceName,
    reason === 'unreachable' ? `The ${serviceName} service is unavailable` : `The ${serviceName} service is unavailable (${reason})`,
    reason === 'unreachable',
    reason === 'unreachable',
  );
}

/** The subgraph answered, with a 5xx: a 502/503/504 is usually brief (a restart, a proxy), so retryable. */
export function subgraphFailed(serviceName: string, status: number): SubgraphCallError {
  return new SubgraphCallError(ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName, `The ${serviceName} service failed (HTTP ${status})`, TRANSIENT_STATUSES.has(status), true);
}

/**
 * The subgraph refused the gateway's own internal credential: the deployment's secrets disagree
 * (a configuration fault, not the client's). The client sees the service as unavailable; the
 * reason is logged where this is raised. Not retried (it would be refused again); it counts
 * toward the circuit, which then spares the subgraph the calls.
 */
export function subgraphRefusedGateway(serviceName: string): SubgraphCallError {
  return new SubgraphCallError(ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName, `The ${serviceName} service is unavailable`, false, true);
}

export function subgraphTimeout(serviceName: string, timeoutMs: number, cause: 'fetch timeout' | 'request deadline'): SubgraphCallError {
  return new SubgraphCallError(
    ErrorCode.GATEWAY_TIMEOUT,
    serviceName,
    cause === 'fetch timeout'
      ? `The ${serviceName} service did not answer within ${timeoutMs} ms`
      : `The request's deadline passed while waiting for the ${serviceName} service`,
    false,
    cause === 'fetch timeout',
  );
}

function responseStatus(error: unknown): number | undefined {
  const status = (error as GraphQLError | undefined)?.extensions?.response as { status?: unknown } | undefined;
  return typeof status?.status === 'number' ? status.status : undefined;
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof SubgraphCallError) return error.retryable;
  const status = responseStatus(error);
  return status !== undefined && TRANSIENT_STATUSES.has(status);
}

/** Whether a failure says the subgraph is unhealthy (as opposed to a request it rightly refused). */
export function isSubgraphFault(error: unknown): boolean {
  if (error instanceof SubgraphCallError) return error.subgraphFault;
  const status = responseStatus(error);
  if (status !== undefined) return status >= 500;
  // Anything else thrown by the data source (a non-JSON body, a malformed answer) is the subgraph's.
  return !(error instanceof GraphQLError && error.extensions?.code);
}

/** Codes and statuses of a subgraph refusing who is asking, or what they may do. */
const ACCESS_REFUSAL_CODES = new Set<unknown>([ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN]);

/**
 * Whether a failure is the subgraph refusing the caller (its credential, or its right to the
 * data): an answer about this caller, never an outage, so nothing may stand in for it.
 */
export function isAccessRefusal(error: unknown): boolean {
  const status = responseStatus(error);
  return status === 401 || status === 403 || ACCESS_REFUSAL_CODES.has((error as GraphQLError | undefined)?.extensions?.code);
}
