import type { ProfilePrisma } from '../prisma';

/** Password hashes, read only here: they are never part of the cached account records. */
export class CredentialRepository {
  constructor(private readonly prisma: ProfilePrisma) {}

  async byEmail(email: string): Promise<{ accountId: string; passwordHash: string | null } | null> {
    const row = await this.prisma.account.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
    return row && { accountId: row.id, passwordHash: row.passwordHash };
  }

  async passwordHashOf(accountId: string): Promise<string | null> {
    const row = await this.prisma.account.findUnique({ where: { id: accountId }, select: { passwordHash: true } });
    return row?.passwordHash ?? null;
  }
}
