import type { ProfilePrisma } from '../prisma';

export type RotateOutcome =
  | { kind: 'rotated'; familyId: string; accountId: string }
  /** Already traded for a newer token: the family has just been revoked. */
  | { kind: 'reused'; familyId: string }
  | { kind: 'invalid' };

export class RefreshTokenRepository {
  constructor(private readonly prisma: ProfilePrisma) {}

  async create(tokenHash: string, familyId: string, accountId: string, expiresAt: Date): Promise<void> {
    await this.prisma.refreshToken.create({ data: { tokenHash, familyId, accountId, expiresAt } });
  }

  /**
   * Trades a token for its successor in one transaction. The conditional update is the guard:
   * of two requests presenting the same token at once, exactly one rotates it, and the other
   * is treated as the reuse it looks like.
   */
  async rotate(tokenHash: string, nextHash: string, nextExpiresAt: Date, now: Date): Promise<RotateOutcome> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.refreshToken.updateMany({
        where: { tokenHash, rotatedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { rotatedAt: now },
      });
      const row = await tx.refreshToken.findUnique({ where: { tokenHash }, select: { familyId: true, accountId: true, rotatedAt: true, revokedAt: true } });
      if (!row) return { kind: 'invalid' } as const;
      if (count === 1) {
        await tx.refreshToken.create({ data: { tokenHash: nextHash, familyId: row.familyId, accountId: row.accountId, expiresAt: nextExpiresAt } });
        return { kind: 'rotated', familyId: row.familyId, accountId: row.accountId } as const;
      }
      if (row.rotatedAt && !row.revokedAt) {
        await tx.refreshToken.updateMany({ where: { familyId: row.familyId, revokedAt: null }, data: { revokedAt: now } });
        return { kind: 'reused', familyId: row.familyId } as const;
      }
      return { kind: 'invalid' } as const;
    });
  }

  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.prisma.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: now } });
  }
}
