import { ApolloLink, Observable } from '@apollo/client/core';
import { persistedDocumentIds } from './__generated__/persistedDocumentIds';

/** Raised, before anything is sent, for an operation the gateway's manifest doesn't hold. */
export class UnregisteredOperationError extends Error {
  constructor(readonly operationName: string) {
    super(`${operationName || 'An anonymous operation'} is not a registered operation: add it to operations/ and run npm run build (README, "Registering an operation")`);
    this.name = 'UnregisteredOperationError';
  }
}

/**
 * Sends each operation by its persisted-document id alone, never its text: the request carries
 * `extensions.persistedQuery.sha256Hash` (the shape Apollo Server and our gateway read), and the
 * HTTP link is told to leave the query out.
 *
 * Unlike Apollo's own persisted-query link there is no fallback to the full text on a miss:
 * production gateways enforce trusted documents, where text is refused anyway, so a miss means a
 * kit older or newer than the gateway, and that must surface as the error it is rather than as
 * a second request that fails the same way. The ids are the manifest's (see
 * `persistedDocumentIds`), looked up by operation name.
 */
export function createPersistedDocumentLink(ids: Readonly<Record<string, string>> = persistedDocumentIds): ApolloLink {
  return new ApolloLink((operation, forward) => {
    const id = Object.prototype.hasOwnProperty.call(ids, operation.operationName) ? ids[operation.operationName] : undefined;
    if (!id) return new Observable((observer) => observer.error(new UnregisteredOperationError(operation.operationName)));
    operation.extensions = { ...operation.extensions, persistedQuery: { version: 1, sha256Hash: id } };
    operation.setContext(({ http }: { http?: Record<string, unknown> }) => ({ http: { ...http, includeQuery: false, includeExtensions: true } }));
    return forward(operation);
  });
}
