import type { ActivityRecord } from '../domain';
import type { RecommendationPrisma } from '../prisma';

/** How many recent titles of a profile feed its rows, and similar titles kept per seed. */
export const ACTIVITY_WINDOW = 50;
export const SIMILAR_PER_SEED = 30;

export class ActivityRepository {
  constructor(private readonly prisma: RecommendationPrisma) {}

  /**
   * Recent activity of some profiles, newest first, each with its most similar titles, in one
   * statement (relationJoins turns the nested include into a lateral join).
   */
  async recentByProfiles(profileIds: readonly string[]): Promise<Map<string, ActivityRecord[]>> {
    const rows = await this.prisma.watchActivity.findMany({
      where: { profileId: { in: [...profileIds] } },
      orderBy: [{ lastWatchedAt: 'desc' }, { titleId: 'asc' }],
      take: ACTIVITY_WINDOW * profileIds.length,
      include: {
        title: { select: { similar: { select: { similarTitleId: true }, orderBy: [{ score: 'desc' }, { similarTitleId: 'asc' }], take: SIMILAR_PER_SEED } } },
      },
    });
    const byProfile = new Map<string, ActivityRecord[]>(profileIds.map((id) => [id, []]));
    for (const row of rows) {
      byProfile.get(row.profileId)?.push({
        titleId: row.titleId,
        lastWatchedAt: row.lastWatchedAt.toISOString(),
        completed: row.completed,
        similarIds: row.title.similar.map((s) => s.similarTitleId),
      });
    }
    return byProfile;
  }
}
