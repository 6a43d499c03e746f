import type { AccountRecord } from '../domain';
import type { ProfilePrisma } from '../prisma';

export class AccountRepository {
  constructor(private readonly prisma: ProfilePrisma) {}

  async findByIds(ids: readonly string[]): Promise<Map<string, AccountRecord>> {
    const rows = await this.prisma.account.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, email: true, country: true, planTier: true },
    });
    return new Map(rows.map((row) => [row.id, row]));
  }
}
