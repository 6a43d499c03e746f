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

  /**
   * Updates a profile with the changes `decide` makes of it as it is now: the profile's row is
   * locked and read inside the transaction, and `decide` runs on that row, so a decision (the
   * parental controls' above all) can't rest on a copy another update has since changed. The
   * account's lock is taken first, as every profile write of the account does, so that two
   * renames can't both take one name. `decide` may refuse ('needs-password') or throw (bad
   * input), and nothing is written. Null when the profile no longer exists; 'duplicate-name'
   * when another profile of the account has the name.
   */
  async update(
    id: string,
    accountId: string,
    decide: (current: ProfileRecord) => Partial<ProfileFields> | 'needs-password',
  ): Promise<ProfileRecord | null | 'duplicate-name' | 'needs-password'> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM accounts WHERE id = ${accountId} FOR UPDATE`;
      // NO KEY UPDATE, the lock the UPDATE itself would take: it excludes every other update of
      // the row, not the key-share locks that adding to the profile's list takes on it.
      await tx.$queryRaw`SELECT id FROM profiles WHERE id = ${id} AND account_id = ${accountId} FOR NO KEY UPDATE`;
      const current = await tx.profile.findFirst({ where: { id, accountId }, select: columns });
      if (!current) return null;
      const fields = decide(current);
      if (fields === 'needs-password') return fields;
      if (Object.keys(fields).length === 0) return current;
      if (fields.name !== undefined) {
        const clash = await tx.profile.findFirst({
          where: { accountId, name: { equals: fields.name, mode: 'insensitive' }, id: { not: id } },
          select: { id: true },
        });
        if (clash) return 'duplicate-name' as const;
      }
      return tx.profile.update({ where: { id }, data: fields, select: columns });
    });
  }

  /**
   * Deletes the profile (and, by cascade, its list) unless it is the account's last one. The
   * account row is locked, so two deletes racing for the last two profiles can't both succeed.
   */
  async deleteUnlessLast(id: string, accountId: string): Promise<'deleted' | 'missing' | 'last'> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM accounts WHERE id = ${accountId} FOR UPDATE`;
      const ids = await tx.profile.findMany({ where: { accountId }, select: { id: true } });
      if (!ids.some((p) => p.id === id)) return 'missing' as const;
      if (ids.length <= 1) return 'last' as const;
      await tx.profile.delete({ where: { id } });
      return 'deleted' as const;
    });
  }
}
