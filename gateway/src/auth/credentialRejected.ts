import { ErrorCode } from '@streaming/platform/core';
import { GraphQLError } from 'graphql';

/**
 * A subgraph refused the credential the gateway forwarded (HTTP 401): the gateway accepted a
 * token a subgraph doesn't, e.g. a sign-out the gateway hasn't seen (the embedded mode keeps
 * the revocation list per process). The client gets what the subgraph said, as UNAUTHENTICATED,
 * without the subgraph's URL and status that Apollo's default error would carry.
 */
export function credentialRejected(body: unknown): GraphQLError {
  const message = (body as { errors?: { message?: unknown }[] } | null)?.errors?.[0]?.message;
  return new GraphQLError(typeof message === 'string' ? message : 'the access token is not valid: sign in again', {
    extensions: { code: ErrorCode.UNAUTHENTICATED },
  });
}
