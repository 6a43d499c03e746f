import type { IncomingHttpHeaders } from 'node:http';
import type { TokenVerifier } from './TokenVerifier';
import { unauthenticated, type Viewer } from './Viewer';

const BEARER = /^Bearer ([A-Za-z0-9_\-.]+)$/;

/**
 * The viewer of an HTTP request: null without an Authorization header (anonymous; public data
 * still works), the verified viewer with a valid bearer token, and an UNAUTHENTICATED error
 * with HTTP 401 for anything else: a client that sends a credential wants to be someone, and
 * silently treating a bad one as anonymous would hide the bug.
 */
export async function authenticateRequest(headers: IncomingHttpHeaders, verifier: TokenVerifier): Promise<Viewer | null> {
  const header = headers.authorization;
  if (header === undefined || header === '') return null;
  const match = BEARER.exec(header.trim());
  if (!match) throw unauthenticated('the Authorization header must be "Bearer <accessToken>"', true);
  return verifier.verify(match[1]);
}
