import type { ProfilePrisma } from '../prisma';

export type RotateOutcome =
  /** Traded for `next`, which is now the sign-in's one live token. */
  | { kind: 'rotated'; familyId: string; accountId: string }
  /**
   * Rotated moments ago (within the grace window) and its successor not used yet: a retry or a
   * second tab. The caller derives that same successor again from the token and `salt`.
   */
  | { kind: 'repeated'; familyId: string; accountId: string; salt: string }
  /** Traded for a newer token before the grace window, or its successor already used: the sign-in has just been revoked. */
  | { kind: 'reused'; familyId: string }
  | { kind: 'invalid' };

export interface RotateRequest {
  tokenHash: string;
  next: { tokenHash: string; salt: string; expiresAt: Date };
  now: Date;
  graceMs: number;
}

/**
 * Sign-ins and their refresh tokens. Every change to a sign-in's tokens (rotation) and to the
 * sign-in itself (revocation) first locks the sign-in's row, so they are serialised per sign-in:
 * a revocation either precedes a rotation (which then finds the sign-in revoked) or follows it
 * (and, being one flag on the sign-in, covers the successor the rotation just made). Revoking
 * token by token, `UPDATE ... WHERE revoked_at IS NULL` under READ COMMITTED, could miss a
 * successor committed while it ran.
 */
export class RefreshTokenRepository {
  constructor(private readonly prisma: ProfilePrisma) {}

  /** A new sign-in with its first refresh token, in one statement. */
  async startSignIn(familyId: string, accountId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.prisma.signIn.create({ data: { id: familyId, accountId, expiresAt, refreshTokens: { create: { tokenHash, expiresAt } } } });
  }

  async rotate({ tokenHash, next, now, graceMs }: RotateRequest): Promise<RotateOutcome> {
    // A token's sign-in never changes, so it is read before the lock that orders everything else.
    const token = await this.prisma.refreshToken.findUnique({ where: { tokenHash }, select: { familyId: true } });
    if (!token) return { kind: 'invalid' };
    const familyId = token.familyId;
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM sign_ins WHERE id = ${familyId} FOR UPDATE`;
      const signIn = await tx.signIn.findUnique({ where: { id: familyId }, select: { accountId: true, revokedAt: true } });
      if (!signIn || signIn.revokedAt) return { kind: 'invalid' } as const;
      const { accountId } = signIn;
      // Read again under the lock: another rotation may have committed since the read above.
      const row = await tx.refreshToken.findUnique({ where: { tokenHash }, select: { rotatedAt: true, expiresAt: true, successorSalt: true } });
      if (!row) return { kind: 'invalid' } as const;
      if (!row.rotatedAt) {
        if (row.expiresAt <= now) return { kind: 'invalid' } as const;
        // Only the token whose successor is live keeps a salt: the previous one's retry window is over.
        await tx.refreshToken.updateMany({ where: { familyId, successorSalt: { not: null } }, data: { successorSalt: null } });
        await tx.refreshToken.update({ where: { tokenHash }, data: { rotatedAt: now, successorSalt: next.salt } });
        await tx.refreshToken.create({ data: { tokenHash: next.tokenHash, familyId, expiresAt: next.expiresAt } });
        await tx.signIn.update({ where: { id: familyId }, data: { expiresAt: next.expiresAt } });
        return { kind: 'rotated', familyId, accountId } as const;
      }
      if (graceMs > 0 && row.successorSalt && now.getTime() - row.rotatedAt.getTime() <= graceMs) {
        return { kind: 'repeated', familyId, accountId, salt: row.successorSalt } as const;
      }
      await tx.signIn.update({ where: { id: familyId }, data: { revokedAt: now } });
      return { kind: 'reused', familyId } as const;
    });
  }

  /** One statement on the sign-in's row: no token of it, made before or during, is usable after. */
  async revokeSignIn(familyId: string, now: Date): Promise<void> {
    await this.prisma.signIn.updateMany({ where: { id: familyId, revokedAt: null }, data: { revokedAt: now } });
  }

  /**
   * Deletes up to `limit` sign-ins that are over (revoked, or their newest token expired), with
   * their tokens, and up to `limit` expired tokens of live sign-ins. Rows another pruner (another
   * instance) is deleting are skipped rather than waited for. Returns the rows deleted.
   */
  async prune(now: Date, limit: number): Promise<{ signIns: number; tokens: number }> {
    const signIns = await this.prisma.$executeRaw`
      DELETE FROM sign_ins WHERE id IN (
        SELECT id FROM sign_ins WHERE revoked_at IS NOT NULL OR expires_at <= ${now}
        LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
    const tokens = await this.prisma.$executeRaw`
      DELETE FROM refresh_tokens WHERE token_hash IN (
        SELECT token_hash FROM refresh_tokens WHERE expires_at <= ${now}
        LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
    return { signIns, tokens };
  }
}
