import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { requestIdOf, tagErrors } from '@streaming/platform/core';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { takeDeferredParts } from '../executor/deferredParts';
import type { DeferredPayload } from '../executor/executeDefer';
import { degradedServices } from '../fallbacks/degraded';

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * `@defer` answered in parts (deferSpec=20220824, what Apollo Client, Apollo iOS and Apollo
 * Kotlin speak): when our executor left deferred parts for a request (executor/deferredParts.ts),
 * its single result becomes the first payload of Apollo's incremental response and the parts
 * follow as they complete; Apollo Server's HTTP code writes them as `multipart/mixed`, flushed
 * part by part (http/compressResponses.ts).
 *
 * Runs when execution ends, before any `willSendResponse`: the plugins there see the answer as
 * incremental (Cache-Control is then no-store; `extensions.degraded` is written here, per
 * payload: the first payload names what degraded the primary part, and each later one the
 * subgraphs of its own part that degraded since).
 */
export function incrementalDeliveryPlugin(formatError: FormatError): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart(requestContext) {
      return {
        async executionDidStart() {
          return {
            async executionDidEnd(error) {
              const rest = takeDeferredParts(requestContext.contextValue);
              const body = requestContext.response.body;
              if (!rest || error || body?.kind !== 'single') return;
              const reported = new Set(degradedServices(requestContext.contextValue));
              const initialResult = { ...body.singleResult, hasNext: true };
              if (reported.size > 0) initialResult.extensions = { ...initialResult.extensions, degraded: [...reported].sort() };
              requestContext.response.body = {
                kind: 'incremental',
                initialResult,
                subsequentResults: subsequent(rest(), requestContext.contextValue, reported, formatError),
              };
            },
          };
        },
      };
    },
  };
}

async function* subsequent(parts: AsyncGenerator<DeferredPayload & { last: boolean }>, contextValue: object, reported: Set<string>, formatError: FormatError) {
  // Formatted here, not by Apollo Server, so tagged here with the request's id as its plugin tags the first payload's.
  const requestId = requestIdOf(contextValue);
  const format = (error: GraphQLError) => {
    tagErrors([error], requestId);
    return formatError(error.toJSON(), error);
  };
  let done = false;
  for await (const part of parts) {
    const degraded = degradedServices(contextValue).filter((service) => !reported.has(service) && part.services.includes(service));
    for (const service of degraded) reported.add(service);
    done = part.last;
    // A part whose every parent was nulled has nothing to deliver; only the last must still say so.
    if (part.items.length === 0 && !part.last) continue;
    yield {
      hasNext: !part.last,
      ...(part.items.length > 0 ? {
        incremental: part.items.map((item, i) => ({
          data: item.data,
          path: item.path,
          ...(part.label !== undefined ? { label: part.label } : {}),
          ...(item.errors ? { errors: item.errors.map(format) } : {}),
          ...(item.extensions || (i === 0 && degraded.length > 0)
            ? { extensions: { ...item.extensions, ...(i === 0 && degraded.length > 0 ? { degraded } : {}) } }
            : {}),
        })),
      } : {}),
    };
  }
  if (!done) yield { hasNext: false };
}
