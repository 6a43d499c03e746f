import { ApolloLink } from '@apollo/client/core';

/**
 * What the gateway says when it answered with less than usual: `extensions.degraded` lists the
 * subgraphs that failed and were covered by a fallback (a profile's last good home rows, titles
 * from the gateway's cache: the README's Resilience, "Fallbacks"). Apollo Client drops response extensions before
 * they reach a query's result, so this link hands them to the app as they pass.
 */
export type DegradedListener = (event: { operationName: string; services: string[] }) => void;

/** Calls `listener` for every response: `services` is empty when the answer was whole. */
export function createDegradedLink(listener: DegradedListener): ApolloLink {
  return new ApolloLink((operation, forward) =>
    forward(operation).map((result) => {
      const degraded = result.extensions?.degraded;
      listener({ operationName: operation.operationName, services: Array.isArray(degraded) ? degraded.map(String) : [] });
      return result;
    }),
  );
}
