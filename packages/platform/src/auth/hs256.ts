import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Compact HS256 JWTs for the internal credential, signed and checked synchronously. A
 * subgraph checks one on every request before its body parser is attached: an asynchronous
 * check there leaves a gap in which a request body already flowing (to any other listener) is
 * lost to the parser. Only what this credential needs: header `{"alg":"HS256","typ":"JWT"}`,
 * anything else refused before the key is used (no `alg: none`, no algorithm confusion).
 */
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const SEGMENT = /^[A-Za-z0-9_-]+$/;

function b64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function mac(input: string, secret: Uint8Array): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

export function signHs256(claims: Record<string, unknown>, secret: Uint8Array): string {
  const input = `${HEADER}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${mac(input, secret).toString('base64url')}`;
}

/** What made a token unverifiable, before any claim is looked at. */
export type Hs256Failure = 'malformed' | 'bad-signature';

/**
 * The claims of a token signed with `secret`, or why not. The signature is compared in
 * constant time (crypto.timingSafeEqual, over equal lengths).
 */
export function verifyHs256(token: string, secret: Uint8Array): { claims: Record<string, unknown> } | { failure: Hs256Failure } {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) return { failure: 'malformed' };
  const [header, payload, signature] = parts;
  let parsedHeader: unknown;
  try {
    parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  } catch {
    return { failure: 'malformed' };
  }
  const h = parsedHeader as { alg?: unknown; typ?: unknown; crit?: unknown } | null;
  if (!h || typeof h !== 'object' || h.alg !== 'HS256' || (h.typ !== undefined && h.typ !== 'JWT') || h.crit !== undefined) return { failure: 'malformed' };
  const expected = mac(`${header}.${payload}`, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { failure: 'bad-signature' };
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (!claims || typeof claims !== 'object' || Array.isArray(claims)) return { failure: 'malformed' };
    return { claims: claims as Record<string, unknown> };
  } catch {
    return { failure: 'malformed' };
  }
}
