import Negotiator from 'negotiator';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { IncrementalRun } from './executeDefer';

/*
 * The hand-over of a request's deferred parts from the executor to the HTTP layer. Apollo
 * Server takes one result from a gateway's executor (requestPipeline.ts: `singleResult`), so the
 * executor answers with the first payload and leaves the rest here, under the request's context
 * object; http/incrementalDelivery.ts turns the two into Apollo's incremental response, which
 * Apollo's own HTTP code writes as `multipart/mixed`.
 */

const parts = new WeakMap<object, IncrementalRun['rest']>();

export function handOverDeferredParts(contextValue: object, rest: IncrementalRun['rest']): void {
  parts.set(contextValue, rest);
}

/** The deferred parts the executor left for this request, taken once. */
export function takeDeferredParts(contextValue: object): IncrementalRun['rest'] | undefined {
  const rest = parts.get(contextValue);
  parts.delete(contextValue);
  return rest;
}

/** The one incremental format this gateway writes: Apollo Client's, Apollo iOS's and Apollo Kotlin's. */
export const DEFER_SPEC_20220824 = 'multipart/mixed; deferSpec=20220824';

/**
 * Whether the client takes `deferSpec=20220824` multipart answers: decided as Apollo Server's
 * HTTP code decides which incremental format to write (runHttpQuery.ts), so that the two never
 * disagree. A client that prefers another (`incrementalSpec=v0.2`) or none gets one payload.
 */
export function acceptsDeferredParts(requestContext: GatewayGraphQLRequestContext): boolean {
  const accept = requestContext.request.http?.headers.get('accept');
  // Every request asks this: only a header naming the format can choose it (a wildcard matches
  // plain `multipart/mixed` first), so the others skip the negotiation.
  if (!accept || !/deferspec=20220824/i.test(accept)) return false;
  return new Negotiator({ headers: { accept } }).mediaType(['multipart/mixed', 'multipart/mixed; incrementalSpec=v0.2', DEFER_SPEC_20220824]) === DEFER_SPEC_20220824;
}
