import { ApolloLink } from '@apollo/client/core';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Gives every HTTP request its own `x-request-id` (a UUID unless `newId` says otherwise). The
 * gateway keeps a sane client id, returns it, forwards it to the subgraphs and writes it in every
 * log line, so an id a client logs or shows beside an error finds the server's side of the story.
 * The id is also put in the operation's context (`requestId`) for the app's own error reports.
 */
export function createRequestIdLink(newId: () => string = () => globalThis.crypto.randomUUID()): ApolloLink {
  return new ApolloLink((operation, forward) => {
    const requestId = newId();
    operation.setContext(({ headers }: { headers?: Record<string, string> }) => ({ requestId, headers: { ...headers, [REQUEST_ID_HEADER]: requestId } }));
    return forward(operation);
  });
}
