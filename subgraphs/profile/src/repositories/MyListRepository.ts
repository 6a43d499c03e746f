import type { ProfilePrisma } from '../prisma';

export class MyListRepository {
  constructor(private readonly prisma: ProfilePrisma) {}

  /** Title ids per profile, most recently added first, for many profiles in one statement. */
  async titleIdsByProfileIds(profileIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = await this.prisma.myListEntry.findMany({
      where: { profileId: { in: [...profileIds] } },
      select: { profileId: true, titleId: true },
      orderBy: [{ addedAt: 'desc' }, { titleId: 'asc' }],
    });
    const byProfile = new Map<string, string[]>();
    for (const row of rows) byProfile.set(row.profileId, [...(byProfile.get(row.profileId) ?? []), row.titleId]);
    return byProfile;
  }

  /** Idempotent: adding a title that is already in the list keeps its place. */
  async add(profileId: string, titleId: string): Promise<void> {
    await this.prisma.myListEntry.createMany({ data: [{ profileId, titleId }], skipDuplicates: true });
  }

  async remove(profileId: string, titleId: string): Promise<void> {
    await this.prisma.myListEntry.deleteMany({ where: { profileId, titleId } });
  }
}
