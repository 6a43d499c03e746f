import { ApolloClient, ApolloLink, execute, HttpLink, InMemoryCache, toPromise, type NormalizedCacheObject } from '@apollo/client/core';
import type { GraphQLFormattedError } from 'graphql';
import { RefreshSessionDocument } from './__generated__/graphql';
import { createAuthLink, RefreshRefusedError } from './authLink';
import { createDegradedLink, type DegradedListener } from './degradedLink';
import { createPersistedDocumentLink } from './persistedDocumentLink';
import { createRequestIdLink } from './requestIdLink';
import type { Session, SessionTokens } from './SessionTokens';
import { typePolicies } from './typePolicies';

export interface StreamingLinkOptions {
  /** The gateway's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  uri: string;
  tokens: SessionTokens;
  /** Told about every response's `extensions.degraded` (an empty list when whole). */
  onDegraded?: DegradedListener;
  /** The fetch to send with; the platform's by default. */
  fetch?: typeof fetch;
}

/**
 * The kit's link chain, outermost first:
 * degraded (reads the final answer) -> auth (bearer token; refresh and resend on UNAUTHENTICATED)
 * -> request id (one per HTTP request, so a resend after a refresh gets its own) -> persisted
 * document (id only) -> HTTP. The refresh itself goes through request id -> persisted document ->
 * HTTP, without the auth link: it carries no bearer (the expired token would only get it refused).
 */
export function createStreamingLink(options: StreamingLinkOptions): ApolloLink {
  const transport = ApolloLink.from([
    createRequestIdLink(),
    createPersistedDocumentLink(),
    new HttpLink({ uri: options.uri, fetch: options.fetch }),
  ]);
  /**
   * Only UNAUTHENTICATED (a spent, revoked or unknown refresh token) ends the session; any other
   * failure (rate limited, the service down) leaves it for the next try.
   */
  const failure = (errors: readonly GraphQLFormattedError[]): Error =>
    errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')
      ? new RefreshRefusedError(errors)
      : new Error(`RefreshSession failed: ${errors.map((e) => e.message).join('; ')}`);
  const refresh = async (refreshToken: string): Promise<Session> => {
    let result;
    try {
      result = await toPromise(execute(transport, { query: RefreshSessionDocument, variables: { refreshToken } }));
    } catch (err) {
      // A refusal can come back as a non-2xx answer whose body holds the errors.
      const body = (err as { result?: { errors?: GraphQLFormattedError[] } }).result;
      if (body?.errors?.length) throw failure(body.errors);
      throw err;
    }
    const session = (result.data as { refreshSession?: Session | null } | null | undefined)?.refreshSession;
    if (!session) throw failure(result.errors ?? [{ message: 'no session in the answer' }]);
    return session;
  };
  const links = [createAuthLink({ tokens: options.tokens, refresh }), transport];
  return ApolloLink.from(options.onDegraded ? [createDegradedLink(options.onDegraded), ...links] : links);
}

/** An Apollo Client with the kit's links and its normalized cache policies: what a UI team starts from. */
export function createStreamingClient(options: StreamingLinkOptions): ApolloClient<NormalizedCacheObject> {
  return new ApolloClient({ link: createStreamingLink(options), cache: new InMemoryCache({ typePolicies }) });
}
