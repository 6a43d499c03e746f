import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The playback license token: what an edge (an Open Connect-style appliance) or a DRM license
 * server is shown with every manifest and segment request. A JWT (HS256, so any JWT library at
 * the edge can check it offline with the shared secret) whose claims bind it to one session of
 * one account, one edge and one title's files, for a short time:
 *
 *   { sid: session id, acc: account id, lim: the plan's streams, aud: edge host,
 *     path: 'titles/<title>/<episode|feature>/', iat, exp: Unix seconds }
 *
 * A valid signature and expiry only say the token was issued and is recent. Whether its session
 * still plays (not stopped, replaced or expired, within the plan's limit) is the playback
 * authorization check's question (PlaybackAuthorizer), asked of the session store per request;
 * heartbeats renew the token, so a short lifetime costs a playing device nothing.
 */

export interface PlaybackClaims {
  sessionId: string;
  accountId: string;
  /** The plan's concurrent streams when the session started. */
  streamLimit: number;
  /** Edge host name, e.g. 'us-east-1.oca.streaming.example'. */
  edge: string;
  /** The title's (or episode's) directory on the edge, e.g. 'titles/t1/feature/': manifest and segments. */
  pathPrefix: string;
  /** Whole seconds (the token carries Unix seconds). */
  issuedAt: Date;
  expiresAt: Date;
}

export type PlaybackTokenVerification =
  | { valid: true; claims: PlaybackClaims }
  | { valid: false; reason: 'malformed' | 'bad-signature' | 'expired' };

// The one header this service signs with. A token with any other header is malformed: no
// algorithm is ever read from the token, so there is nothing to confuse ('none', RS/HS swaps).
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
/** Far above a real token (~350 characters): a bigger one is refused before any work on it. */
const MAX_TOKEN_LENGTH = 2_048;
const HOSTNAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function mac(secret: string, signingInput: string): Buffer {
  if (!secret) throw new TypeError('playback tokens need a non-empty signing secret');
  return createHmac('sha256', secret).update(signingInput).digest();
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export function signPlaybackToken(claims: PlaybackClaims, secret: string): string {
  if (!claims.sessionId || !claims.accountId) throw new TypeError('a playback token needs a session and an account');
  if (!Number.isInteger(claims.streamLimit) || claims.streamLimit < 1) throw new TypeError(`invalid stream limit: ${claims.streamLimit}`);
  if (!HOSTNAME.test(claims.edge)) throw new TypeError(`invalid edge host: ${JSON.stringify(claims.edge)}`);
  if (!claims.pathPrefix.endsWith('/') || claims.pathPrefix.startsWith('/')) throw new TypeError(`invalid path prefix: ${JSON.stringify(claims.pathPrefix)}`);
  if (!Number.isFinite(claims.expiresAt.getTime()) || !Number.isFinite(claims.issuedAt.getTime())) throw new TypeError('invalid token dates');
  const payload = {
    sid: claims.sessionId, acc: claims.accountId, lim: claims.streamLimit, aud: claims.edge, path: claims.pathPrefix,
    iat: seconds(claims.issuedAt), exp: seconds(claims.expiresAt),
  };
  const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${signingInput}.${mac(secret, signingInput).toString('base64url')}`;
}

function claimsOf(payload: string): PlaybackClaims | null {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const c = raw as Record<string, unknown>;
  const ok = typeof c === 'object' && c !== null
    && typeof c.sid === 'string' && c.sid !== '' && typeof c.acc === 'string' && c.acc !== ''
    && Number.isInteger(c.lim) && (c.lim as number) >= 1 && typeof c.aud === 'string' && typeof c.path === 'string'
    && Number.isInteger(c.iat) && Number.isInteger(c.exp);
  if (!ok) return null;
  return {
    sessionId: c.sid as string, accountId: c.acc as string, streamLimit: c.lim as number, edge: c.aud as string, pathPrefix: c.path as string,
    issuedAt: new Date((c.iat as number) * 1000), expiresAt: new Date((c.exp as number) * 1000),
  };
}

/**
 * Checks a token from signPlaybackToken, without I/O. The signature is checked (in constant
 * time) before anything in the payload is read, so a forged or altered token always reports
 * 'bad-signature', never 'expired'. Expired means now is at or past `exp` (the JWT convention).
 */
export function verifyPlaybackToken(token: unknown, secret: string, now: Date = new Date()): PlaybackTokenVerification {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { valid: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER || !BASE64URL.test(parts[1]) || !BASE64URL.test(parts[2])) return { valid: false, reason: 'malformed' };
  const signature = Buffer.from(parts[2], 'base64url');
  // Only the canonical encoding of a 32-byte MAC: no second spelling of one signature.
  if (signature.length !== 32 || signature.toString('base64url') !== parts[2]) return { valid: false, reason: 'malformed' };
  if (!timingSafeEqual(mac(secret, `${parts[0]}.${parts[1]}`), signature)) return { valid: false, reason: 'bad-signature' };
  const claims = claimsOf(parts[1]);
  if (!claims) return { valid: false, reason: 'malformed' };
  if (now.getTime() >= claims.expiresAt.getTime()) return { valid: false, reason: 'expired' };
  return { valid: true, claims };
}

/**
 * Whether a request path on the edge is one of the token's files: under its path prefix once
 * the path is normalised as the edge's URL parser would (dot segments, percent-encoded ones
 * included), so '../' can't climb into another title.
 */
export function coversPath(claims: PlaybackClaims, path: string): boolean {
  if (!path.startsWith('/')) return false;
  let normalised: string;
  try {
    normalised = new URL(path, 'https://edge.invalid').pathname;
  } catch {
    return false;
  }
  return normalised.startsWith(`/${claims.pathPrefix}`);
}
