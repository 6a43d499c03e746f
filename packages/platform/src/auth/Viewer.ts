import { ErrorCode, graphQLError } from '../graphql/errors';

/**
 * Who is asking: the account a verified access token was issued to. Every subgraph's context
 * carries one (or null for an anonymous request); resolvers compare it with the owner of the
 * data they are about to return.
 */
export interface Viewer {
  accountId: string;
  /** The sign-in this token belongs to (its refresh-token family); signing out revokes it. */
  sessionId: string;
  /** The token's `jti`. */
  tokenId: string;
  /** Epoch seconds. */
  expiresAt: number;
  /** The verified bearer token itself, forwarded on calls to other subgraphs on the viewer's behalf. */
  credential: string;
}

/** Per request, in every subgraph's context. */
export interface RequestIdentity {
  viewer: Viewer | null;
  /** The client's address (see clientAddress.ts): what per-address limits count against. */
  clientAddress: string;
  /** The request's id, for calls to other subgraphs (they log under the same one). */
  requestId?: string;
}

export function unauthenticated(message: string, http = false) {
  return graphQLError(ErrorCode.UNAUTHENTICATED, message, http ? { http: { status: 401 } } : {});
}

/** For fields that only a signed-in viewer may see: anonymous gets this field null and an error. */
export function requireViewer(viewer: Viewer | null, what: string): Viewer {
  if (!viewer) throw unauthenticated(`sign in to see ${what}: send Authorization: Bearer <accessToken> (from signIn)`);
  return viewer;
}
