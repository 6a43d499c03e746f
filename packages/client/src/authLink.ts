import { ApolloLink, Observable, type FetchResult, type Operation } from '@apollo/client/core';
import type { GraphQLFormattedError } from 'graphql';
import type { Session, SessionTokens } from './SessionTokens';

export interface AuthLinkOptions {
  tokens: SessionTokens;
  /**
   * Exchanges a refresh token for a new session (the kit sends the `RefreshSession` operation,
   * without a bearer token). Rejects when the server refuses it.
   */
  refresh: (refreshToken: string) => Promise<Session>;
}

/** Raised by `refresh` when the server refused the refresh token (UNAUTHENTICATED): spent, revoked or unknown. */
export class RefreshRefusedError extends Error {
  constructor(readonly errors: readonly GraphQLFormattedError[]) {
    super(`RefreshSession was refused: ${errors.map((e) => e.message).join('; ')}`);
    this.name = 'RefreshRefusedError';
  }
}

const UNAUTHENTICATED = 'UNAUTHENTICATED';
const unauthenticated = (errors: readonly GraphQLFormattedError[] | undefined) => !!errors?.some((e) => e.extensions?.code === UNAUTHENTICATED);

/**
 * The gateway refuses an expired or revoked token before GraphQL runs, with HTTP 401 and an
 * UNAUTHENTICATED error in the body; Apollo's HTTP link turns a non-2xx answer into a network
 * error that keeps the parsed body as `result`.
 */
function unauthenticatedNetworkError(error: unknown): boolean {
  const result = (error as { result?: unknown } | null)?.result;
  return typeof result === 'object' && result !== null && unauthenticated((result as { errors?: GraphQLFormattedError[] }).errors);
}

/**
 * Sends the signed-in session's access token as `Authorization: Bearer`, and on UNAUTHENTICATED
 * (the token expired, or the key that signed it was rotated) refreshes the session once through
 * `refresh` and sends the operation again with the new token. Without a session the operation goes
 * out anonymously (sign-in, public queries).
 *
 * - One refresh at a time: refresh tokens are single-use (rotated on every refresh, and a reused
 *   one revokes its whole sign-in), so concurrent operations that all meet an expired token
 *   share the refresh in flight instead of each spending the same refresh token.
 * - An operation that was sent with a token older than the current one is simply sent again:
 *   another operation already refreshed.
 * - A refused refresh ends the session (`tokens` is cleared, so the app shows its sign-in) and the
 *   operation fails with its original UNAUTHENTICATED error; a refresh that couldn't reach the
 *   server keeps the session, and the operation fails with that network error.
 * - Each operation is retried at most once, so a server that keeps refusing can't cause a loop.
 */
export function createAuthLink({ tokens, refresh }: AuthLinkOptions): ApolloLink {
  let inFlight: Promise<void> | undefined;
  /** Renews the session unless someone already replaced the token this operation was sent with. */
  const renew = (sentWith: string | undefined): Promise<void> => {
    const current = tokens.get();
    if (!current) return Promise.reject(new Error('signed out'));
    if (current.accessToken !== sentWith) return Promise.resolve();
    inFlight ??= refresh(current.refreshToken)
      .then((session) => tokens.set(session))
      .catch((err: unknown) => {
        if (err instanceof RefreshRefusedError) tokens.clear();
        throw err;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const withToken = (operation: Operation): string | undefined => {
    const accessToken = tokens.get()?.accessToken;
    operation.setContext(({ headers }: { headers?: Record<string, string> }) => {
      const next: Record<string, string> = { ...headers };
      if (accessToken) next.authorization = `Bearer ${accessToken}`;
      else delete next.authorization;
      return { headers: next };
    });
    return accessToken;
  };

  return new ApolloLink((operation, forward) => new Observable<FetchResult>((observer) => {
    let subscription: { unsubscribe(): void } | undefined;
    let closed = false;
    const attempt = (final: boolean) => {
      const sentWith = withToken(operation);
      /** Refreshes and sends again, or passes the original failure on. */
      const retry = (fail: () => void, replacing: { unsubscribe(): void } | undefined) => {
        replacing?.unsubscribe();
        renew(sentWith).then(
          () => { if (!closed) attempt(true); },
          (err: unknown) => {
            if (closed) return;
            if (err instanceof RefreshRefusedError || (err as Error).message === 'signed out') fail();
            else observer.error(err);
          },
        );
      };
      let retrying = false;
      const canRetry = () => !final && sentWith !== undefined && tokens.get() !== undefined;
      const current = forward(operation).subscribe({
        next: (result) => {
          if (!retrying && canRetry() && unauthenticated(result.errors)) {
            retrying = true;
            retry(() => { observer.next(result); observer.complete(); }, subscription);
            return;
          }
          if (!retrying) observer.next(result);
        },
        error: (err) => {
          if (retrying) return;
          if (canRetry() && unauthenticatedNetworkError(err)) {
            retrying = true;
            retry(() => observer.error(err), undefined);
            return;
          }
          observer.error(err);
        },
        complete: () => {
          if (!retrying) observer.complete();
        },
      });
      subscription = current;
    };
    attempt(false);
    return () => {
      closed = true;
      subscription?.unsubscribe();
    };
  }));
}
