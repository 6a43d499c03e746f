import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet } from 'jose';
import type { LRUCache } from 'lru-cache';
import { growingLru } from '../cache/growingLru';
import { TOKEN_ALGORITHM } from './keys';
import type { RevocationList } from './RevocationList';
import { unauthenticated, type Viewer } from './Viewer';

export interface VerifierOptions {
  issuer: string;
  audience: string;
  /** Verified tokens kept (until their `exp`) so that a client's next requests skip the signature check. */
  cacheSize?: number;
}

/**
 * Verifies bearer tokens with jose against the JWKS: only EdDSA (so `alg: none` and HMAC
 * tricks with the public key are refused before any key is used), the right `iss` and `aud`,
 * a known `kid`, not expired. A verified token is cached until its `exp`; the revocation list
 * is checked on every call, cached or not, since a sign-out must take effect at once.
 */
export class TokenVerifier {
  private readonly keySet: ReturnType<typeof createLocalJWKSet>;
  private readonly verified: LRUCache<string, Viewer>;

  constructor(
    jwks: JSONWebKeySet,
    private readonly options: VerifierOptions,
    private readonly revocations: RevocationList,
  ) {
    this.keySet = createLocalJWKSet(jwks);
    this.verified = growingLru<string, Viewer>(options.cacheSize ?? 50_000);
  }

  /** The viewer a token stands for; throws UNAUTHENTICATED (HTTP 401) for any token that isn't valid now. */
  async verify(token: string): Promise<Viewer> {
    let viewer = this.verified.get(token);
    if (!viewer || viewer.expiresAt * 1000 <= Date.now()) {
      viewer = await this.check(token);
      this.verified.set(token, viewer, { ttl: Math.max(1, viewer.expiresAt * 1000 - Date.now()) });
    }
    if (await this.revocations.isRevoked(viewer.sessionId)) {
      throw unauthenticated('this sign-in has ended (signed out); sign in again', true);
    }
    return viewer;
  }

  private async check(token: string): Promise<Viewer> {
    try {
      const { payload } = await jwtVerify(token, this.keySet, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: ['sub', 'sid', 'jti', 'iat', 'exp'],
      });
      if (typeof payload.sid !== 'string') throw new errors.JWTClaimValidationFailed('"sid" claim must be a string', payload, 'sid');
      return { accountId: payload.sub!, sessionId: payload.sid, tokenId: payload.jti!, expiresAt: payload.exp!, credential: token };
    } catch (err) {
      // The reason is for the client developer; nothing about keys or the token's content is echoed.
      if (err instanceof errors.JWTExpired) throw unauthenticated('the access token has expired: get a new one with refreshSession, or sign in again', true);
      throw unauthenticated('the access token is not valid: sign in again', true);
    }
  }
}
