import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { unauthenticated, type AuthConfig, type RevocationList, type TokenIssuer, type Viewer } from '@streaming/platform';
import type { ProfileRepositories } from '../repositories';
import { decoyHash, verifyPassword } from './passwords';

export interface IssuedSession {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  accountId: string;
}

const WRONG_CREDENTIALS = 'the email or the password is not correct';
const BAD_REFRESH_TOKEN = 'the refresh token is not valid (expired, already used or signed out): sign in again';

/** The stored form of a refresh token: it has 256 random bits, so a plain SHA-256 can't be reversed. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Sign-in, refresh and sign-out. A sign-in starts a family (its id is the access tokens' `sid`);
 * each refresh rotates the family's refresh token; reuse of a rotated token, or sign-out,
 * revokes the family in the store (no refresh works) and in the revocation list (no access
 * token of it works, in any process, for the rest of its lifetime).
 */
export class SessionService {
  constructor(
    private readonly repos: ProfileRepositories,
    private readonly issuer: TokenIssuer,
    private readonly revocations: RevocationList,
    private readonly config: AuthConfig,
  ) {}

  async signIn(email: string, password: string): Promise<IssuedSession> {
    const credentials = await this.repos.credentials.byEmail(email.trim().toLowerCase());
    // An unknown email still pays for a full scrypt, against a decoy, and gets the same error.
    const ok = await verifyPassword(password, credentials?.passwordHash ?? (await decoyHash()));
    if (!credentials?.passwordHash || !ok) throw unauthenticated(WRONG_CREDENTIALS);
    return this.issue(credentials.accountId, randomUUID());
  }

  async refresh(refreshToken: string): Promise<IssuedSession> {
    const now = new Date();
    const next = randomBytes(32).toString('base64url');
    const outcome = await this.repos.refreshTokens.rotate(hashToken(refreshToken), hashToken(next), this.refreshExpiry(now), now);
    if (outcome.kind === 'reused') {
      // The token was copied: whoever holds the newer one (maybe the thief) loses it too.
      await this.revocations.revoke(outcome.familyId, this.revocationTtl());
    }
    if (outcome.kind !== 'rotated') throw unauthenticated(BAD_REFRESH_TOKEN);
    const access = await this.issuer.issue(outcome.accountId, outcome.familyId);
    return { accessToken: access.token, refreshToken: next, expiresAt: access.expiresAt.toISOString(), accountId: outcome.accountId };
  }

  async signOut(viewer: Viewer): Promise<boolean> {
    await this.repos.refreshTokens.revokeFamily(viewer.sessionId, new Date());
    // A long-lived token (the development demo token) stays revoked for as long as it lives.
    await this.revocations.revoke(viewer.sessionId, Math.max(this.revocationTtl(), viewer.expiresAt - Date.now() / 1000 + 60));
    return true;
  }

  private async issue(accountId: string, familyId: string): Promise<IssuedSession> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.repos.refreshTokens.create(hashToken(refreshToken), familyId, accountId, this.refreshExpiry(new Date()));
    const access = await this.issuer.issue(accountId, familyId);
    return { accessToken: access.token, refreshToken, expiresAt: access.expiresAt.toISOString(), accountId };
  }

  private refreshExpiry(now: Date): Date {
    return new Date(now.getTime() + this.config.refreshTokenTtlSeconds * 1000);
  }

  /** As long as any access token of the family can still be valid, with a minute of clock skew. */
  private revocationTtl(): number {
    return this.issuer.ttlSeconds + 60;
  }
}
