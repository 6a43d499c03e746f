import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed manifest URLs: the edge serves a manifest only for a URL this service signed, for
 * the session, host and path it was signed for, until it expires. The edges share the secret
 * and verify offline, so there's no call back to us per request.
 */

export interface SignManifestUrlInput {
  sessionId: string;
  /** Edge host name, e.g. 'us-east-1.oca.streaming.example'. */
  edge: string;
  /** Truncated to whole seconds (never later than given), as the URL carries Unix seconds. */
  expiresAt: Date;
  secret: string;
  /** Path on the edge, e.g. 'titles/t1/feature/manifest.mpd'. */
  path: string;
}

export type ManifestUrlVerification =
  | { valid: true; sessionId: string; edge: string; expiresAt: Date }
  | { valid: false; reason: 'malformed' | 'bad-signature' | 'expired' };

const HOSTNAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;
const EXPIRES = /^\d{1,15}$/;
const SIG = /^[0-9a-f]{64}$/i;

// Every field before the path is free of '|' (session ids are checked, host names and digits
// can't hold one), so the message splits one way only: no two inputs share a signature.
function mac(secret: string, sessionId: string, edge: string, expires: string, path: string): Buffer {
  if (!secret) throw new TypeError('manifest URL signing needs a non-empty secret');
  return createHmac('sha256', secret).update(`${sessionId}|${edge}|${expires}|${path}`).digest();
}

/** `https://<edge>/<path>?session=<id>&expires=<unix seconds>&sig=<hex HMAC-SHA256>`. */
export function signManifestUrl({ sessionId, edge, expiresAt, secret, path }: SignManifestUrlInput): string {
  if (!sessionId || sessionId.includes('|')) throw new TypeError(`invalid session id: ${JSON.stringify(sessionId)}`);
  if (!HOSTNAME.test(edge)) throw new TypeError(`invalid edge host: ${JSON.stringify(edge)}`);
  const ms = expiresAt.getTime();
  if (!Number.isFinite(ms)) throw new TypeError('expiresAt is not a valid date');
  const expires = String(Math.floor(ms / 1000));

  // Sign the host and path as the URL parser normalises them (lower case, percent-encoding,
  // dot segments), since that is what the verifier reads back.
  const url = new URL(`https://${edge}`);
  url.pathname = path;
  const sig = mac(secret, sessionId, url.hostname, expires, url.pathname.slice(1)).toString('hex');
  url.search = new URLSearchParams({ session: sessionId, expires, sig }).toString();
  return url.toString();
}

interface SignedParts {
  sessionId: string;
  edge: string;
  expires: string;
  path: string;
  sig: Buffer;
}

function parse(raw: string): SignedParts | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  // A port, credentials or fragment aren't covered by the signature, so they aren't allowed.
  if (url.protocol !== 'https:' || url.port || url.username || url.password || url.hash) return null;
  // Exactly one of each parameter: with a duplicate, the edge and we might read different ones.
  const params = url.searchParams;
  if ([...params.keys()].sort().join('&') !== 'expires&session&sig') return null;
  const sessionId = params.get('session') ?? '';
  const expires = params.get('expires') ?? '';
  const sig = params.get('sig') ?? '';
  if (!sessionId || sessionId.includes('|') || !EXPIRES.test(expires) || !SIG.test(sig)) return null;
  return { sessionId, edge: url.hostname, expires, path: url.pathname.slice(1), sig: Buffer.from(sig, 'hex') };
}

/**
 * Checks a URL from signManifestUrl. The signature is checked before the expiry, so a forged
 * or altered URL always reports 'bad-signature', never 'expired'. Expired means now is at or
 * past the expiry second (the JWT `exp` convention).
 */
export function verifyManifestUrl(url: string, secret: string, now: Date = new Date()): ManifestUrlVerification {
  const parts = parse(url);
  if (!parts) return { valid: false, reason: 'malformed' };
  const expected = mac(secret, parts.sessionId, parts.edge, parts.expires, parts.path);
  // Constant-time, so response timing can't reveal how much of a guessed signature is right.
  if (!timingSafeEqual(expected, parts.sig)) return { valid: false, reason: 'bad-signature' };
  const expiresAt = new Date(Number(parts.expires) * 1000);
  if (now.getTime() >= expiresAt.getTime()) return { valid: false, reason: 'expired' };
  return { valid: true, sessionId: parts.sessionId, edge: parts.edge, expiresAt };
}
