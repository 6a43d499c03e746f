import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { TOKEN_ALGORITHM, type SigningKey } from './keys';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** Signs access tokens: `sub` the account, `sid` the sign-in (refresh-token family) it belongs to. */
export class TokenIssuer {
  constructor(
    private readonly key: SigningKey,
    private readonly options: { issuer: string; audience: string; ttlSeconds: number },
  ) {}

  get ttlSeconds(): number {
    return this.options.ttlSeconds;
  }

  async issue(accountId: string, sessionId: string, ttlSeconds = this.options.ttlSeconds): Promise<IssuedToken> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + ttlSeconds;
    const token = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: this.key.kid, typ: 'JWT' })
      .setSubject(accountId)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.key.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }
}
