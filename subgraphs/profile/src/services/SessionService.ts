import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { addressKey, unauthenticated, type AuthConfig, type RevocationList, type TokenIssuer, type Viewer } from '@streaming/platform';
import type { Attempt } from '../limits/FailedAttemptLimiter';
import type { ProfileRepositories } from '../repositories';
import type { PasswordChecker } from './PasswordChecker';
import { decoyHash } from './passwords';

export interface IssuedSession {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  accountId: string;
}

export interface SessionOptions {
  /** How long after a rotation the rotated token may come again and get the same successor. */
  reuseGraceSeconds: number;
}

const WRONG_CREDENTIALS = 'the email or the password is not correct';
const BAD_REFRESH_TOKEN = 'the refresh token is not valid (expired, already used or signed out): sign in again';

/** The stored form of a refresh token: it has 256 bits of entropy, so a plain SHA-256 can't be reversed. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The token that succeeds `token`: HMAC-SHA256 keyed by the token itself over a random salt
 * stored with it. Only someone holding `token` can compute it, and the store holds no token
 * (only hashes and the salt), so a copy of the database is no more use than before.
 */
function successorOf(token: string, salt: string): string {
  return createHmac('sha256', token).update(salt).digest('base64url');
}

/**
 * What a sign-in attempt counts against: the email from one client address. The email is
 * hashed (Redis keys hold no email addresses); 128 bits of it keep emails apart.
 */
function signInAttempt(email: string, clientAddress: string): Attempt {
  const emailKey = createHash('sha256').update(email).digest('base64url').slice(0, 22);
  return { subject: `sign-in:${emailKey}:${addressKey(clientAddress)}`, address: clientAddress };
}

/**
 * Sign-in, refresh and sign-out. A sign-in starts a family (its id is the access tokens' `sid`);
 * each refresh rotates the family's refresh token; reuse of a rotated token, or sign-out,
 * revokes the family in the store (no refresh works) and in the revocation list (no access
 * token of it works, in any process, for the rest of its lifetime).
 *
 * Grace window (the OAuth 2.0 security BCP, section 4.14.2, allows one): a token presented again
 * within `reuseGraceSeconds` of its rotation, while its successor is still unused, gets that
 * same successor back (and a fresh access token) instead of ending the sign-in. That is a
 * retried request whose answer was lost, or two tabs refreshing at once. The same successor,
 * not a new one: the sign-in keeps exactly one live refresh token, so a copy used later is
 * still caught as reuse. Past the window, or once the successor has been used, it is reuse.
 */
export class SessionService {
  constructor(
    private readonly repos: ProfileRepositories,
    private readonly issuer: TokenIssuer,
    private readonly revocations: RevocationList,
    private readonly config: AuthConfig,
    private readonly passwords: PasswordChecker,
    private readonly options: SessionOptions,
  ) {}

  async signIn(email: string, password: string, clientAddress: string): Promise<IssuedSession> {
    const normalized = email.trim().toLowerCase();
    let accountId: string | undefined;
    // An unknown email is counted, and pays for a full scrypt against a decoy, like a wrong
    // password, and gets the same error: neither the limits nor the timing tell which exist.
    const ok = await this.passwords.check(signInAttempt(normalized, clientAddress), password, async () => {
      const credentials = await this.repos.credentials.byEmail(normalized);
      accountId = credentials?.passwordHash ? credentials.accountId : undefined;
      return credentials?.passwordHash ?? (await decoyHash());
    });
    if (!ok || !accountId) throw unauthenticated(WRONG_CREDENTIALS);
    return this.issue(accountId, randomUUID());
  }

  async refresh(refreshToken: string): Promise<IssuedSession> {
    const now = new Date();
    const salt = randomBytes(16).toString('base64url');
    const next = successorOf(refreshToken, salt);
    const outcome = await this.repos.refreshTokens.rotate({
      tokenHash: hashToken(refreshToken),
      next: { tokenHash: hashToken(next), salt, expiresAt: this.refreshExpiry(now) },
      now,
      graceMs: this.options.reuseGraceSeconds * 1000,
    });
    switch (outcome.kind) {
      case 'rotated':
        return this.withAccessToken(outcome.accountId, outcome.familyId, next);
      case 'repeated':
        return this.withAccessToken(outcome.accountId, outcome.familyId, successorOf(refreshToken, outcome.salt));
      case 'reused':
        // The token was copied: whoever holds the newer one (maybe the thief) loses it too.
        await this.revocations.revoke(outcome.familyId, this.revocationTtl());
        throw unauthenticated(BAD_REFRESH_TOKEN);
      case 'invalid':
        throw unauthenticated(BAD_REFRESH_TOKEN);
    }
  }

  async signOut(viewer: Viewer): Promise<boolean> {
    await this.repos.refreshTokens.revokeSignIn(viewer.sessionId, new Date());
    // A long-lived token (the development demo token) stays revoked for as long as it lives.
    await this.revocations.revoke(viewer.sessionId, Math.max(this.revocationTtl(), viewer.expiresAt - Date.now() / 1000 + 60));
    return true;
  }

  private async issue(accountId: string, familyId: string): Promise<IssuedSession> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.repos.refreshTokens.startSignIn(familyId, accountId, hashToken(refreshToken), this.refreshExpiry(new Date()));
    return this.withAccessToken(accountId, familyId, refreshToken);
  }

  private async withAccessToken(accountId: string, familyId: string, refreshToken: string): Promise<IssuedSession> {
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
