/**
 * The typed client kit: every registered operation as a typed document (`HomeScreenDocument`,
 * with `HomeScreenQuery` and `HomeScreenQueryVariables`), its persisted-document id, and the
 * Apollo Client pieces that talk to the gateway the way it expects. README, "Typed client kit".
 */
export * from './__generated__/graphql';
export { persistedDocumentIds, type RegisteredOperationName } from './__generated__/persistedDocumentIds';
export { createAuthLink, RefreshRefusedError, type AuthLinkOptions } from './authLink';
export { createDegradedLink, type DegradedListener } from './degradedLink';
export { createPersistedDocumentLink, UnregisteredOperationError } from './persistedDocumentLink';
export { createRequestIdLink, REQUEST_ID_HEADER } from './requestIdLink';
export { SessionTokens, type Session } from './SessionTokens';
export { createStreamingClient, createStreamingLink, type StreamingLinkOptions } from './createStreamingClient';
export { typePolicies } from './typePolicies';
