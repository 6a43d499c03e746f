import { signHs256 } from './hs256';
import type { InternalAuthConfig } from './internalAuthConfig';

/**
 * Signs this process's internal credentials: a short-lived HS256 JWT per subgraph it calls, `iss`
 * this process, `aud` that subgraph. Each is signed once and reused until half its lifetime has
 * passed, so a subgraph call pays a map lookup, not an HMAC.
 */
export class InternalCredentialSigner {
  private readonly signed = new Map<string, { token: string; renewAt: number }>();

  constructor(
    private readonly config: InternalAuthConfig,
    /** Who this process is: `gateway` or its subgraph's name. */
    readonly issuer: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The credential for calls to `audience` (a subgraph's name). */
  credentialFor(audience: string): string {
    const now = this.now();
    const current = this.signed.get(audience);
    if (current && now < current.renewAt) return current.token;
    const iat = Math.floor(now / 1000);
    const token = signHs256({ iss: this.issuer, aud: audience, iat, exp: iat + this.config.ttlSeconds }, this.config.secret);
    this.signed.set(audience, { token, renewAt: now + (this.config.ttlSeconds * 1000) / 2 });
    return token;
  }
}
