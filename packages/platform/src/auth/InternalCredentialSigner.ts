import { SignJWT } from 'jose';
import type { InternalAuthConfig } from './internalAuthConfig';

/**
 * Signs this process's internal credentials: a short-lived HS256 JWT per subgraph it calls, `iss`
 * this process, `aud` that subgraph. Each is signed once and reused until half its lifetime has
 * passed, so a subgraph call pays a map lookup, not an HMAC: the same promise is handed to every
 * caller meanwhile.
 */
export class InternalCredentialSigner {
  private readonly signed = new Map<string, { token: Promise<string>; renewAt: number }>();

  constructor(
    private readonly config: InternalAuthConfig,
    /** Who this process is: `gateway` or its subgraph's name. */
    readonly issuer: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The credential for calls to `audience` (a subgraph's name). */
  credentialFor(audience: string): Promise<string> {
    const now = this.now();
    const current = this.signed.get(audience);
    if (current && now < current.renewAt) return current.token;
    const issuedAt = Math.floor(now / 1000);
    const token = new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.config.ttlSeconds)
      .sign(this.config.secret);
    this.signed.set(audience, { token, renewAt: now + (this.config.ttlSeconds * 1000) / 2 });
    // A failed signing (it can't, with a valid key) must not be handed out until renewal.
    token.catch(() => this.signed.delete(audience));
    return token;
  }
}
