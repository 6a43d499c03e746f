import type { ProfileRecord } from '../domain';
import type { ProfilePrisma } from '../prisma';

const columns = { id: true, accountId: true, name: true, avatarUrl: true, isKids: true, maturityRating: true, language: true } as const;

export type ProfileFields = Omit<ProfileRecord, 'id' | 'accountId'>;

export type CreateOutcome =
  | { kind: 'created'; profile: ProfileRecord }
  | { kind: 'account-missing' }
  | { kind: 'limit-reached'; count: number }
  | { kind: 'duplicate-name' };

export class ProfileRepository {
  constructor(private readonly prisma: ProfilePrisma) {}

  async findByIds(ids: readonly string[]): Promise<Map<string, ProfileRecord>> {
    const rows = await this.prisma.profile.findMany({ where: { id: { in: [...ids] } }, select: columns });
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** Profile ids per account, oldest first, for many accounts in one statement. */
  async idsByAccountIds(accountIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = await this.prisma.profile.findMany({
      where: { accountId: { in: [...accountIds] } },
      select: { id: true, accountId: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    const byAccount = new Map<string, string[]>();
    for (const row of rows) byAccount.set(row.accountId, [...(byAccount.get(row.accountId) ?? []), row.id]);
    return byAccount;
  }

  /**
   * Creates a profile unless the account is full. The account row is locked for the
   * transaction, so two devices creating a profile at the same moment can't both take the
   * last slot (count-then-insert without the lock would let both through).
   */
  async create(id: string, accountId: string, fields: ProfileFields, limit: number): Promise<CreateOutcome> {
    return this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM accounts WHERE id = ${accountId} FOR UPDATE`;
      if (locked.length === 0) return { kind: 'account-missing' } as const;
      const existing = await tx.profile.findMany({ where: { accountId }, select: { name: true } });
      if (existing.length >= limit) return { kind: 'limit-reached', count: existing.length } as const;
      if (existing.some((p) => p.name.toLowerCase() === fields.name.toLowerCase())) return { kind: 'duplicate-name' } as const;
      const profile = await tx.profile.create({ data: { id, accountId, ...fields }, select: columns });
      return { kind: 'created', profile } as const;
    });
  }

  async nameTaken(accountId: string, name: string, exceptId: string): Promise<boolean> {
    const found = await this.prisma.profile.findFirst({
      where: { accountId, name: { equals: name, mode: 'insensitive' }, id: { not: exceptId } },
      select: { id: true },
    });
    return found !== null;
  }

  async update(id: string, fields: Partial<ProfileFields>): Promise<ProfileRecord> {
    return this.prisma.profile.update({ where: { id }, data: fields, select: columns });
  }

  async countInAccount(accountId: string): Promise<number> {
    return this.prisma.profile.count({ where: { accountId } });
  }

  /** Deletes the profile and, by cascade, its list. */
  async delete(id: string): Promise<void> {
    await this.prisma.profile.delete({ where: { id } });
  }
}
