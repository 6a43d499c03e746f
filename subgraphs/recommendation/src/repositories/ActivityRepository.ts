import { utc } from '@streaming/platform';
import type { ActivityRecord } from '../domain';
import type { RecommendationPrisma } from '../prisma';

/** How many recent titles of a profile feed its rows, and similar titles kept per seed. */
export const ACTIVITY_WINDOW = 50;
export const SIMILAR_PER_SEED = 30;

export class ActivityRepository {
  constructor(private readonly prisma: RecommendationPrisma) {}

  /**
   * Recent activity of some profiles, newest first, at most ACTIVITY_WINDOW per profile, each with
   * its most similar titles, in one statement: a window function keeps one busy profile from
   * crowding out the others of a batch, a lateral join brings the similar titles.
   */
  async recentByProfiles(profileIds: readonly string[]): Promise<Map<string, ActivityRecord[]>> {
    const rows = await this.prisma.$queryRaw<{ profile_id: string; title_id: string; last_watched_at: Date | string; completed: boolean; similar_ids: string[] | null }[]>`
      SELECT a.profile_id, a.title_id, a.last_watched_at, a.completed, s.ids AS similar_ids
      FROM (
        SELECT *, row_number() OVER (PARTITION BY profile_id ORDER BY last_watched_at DESC, title_id) AS rank
        FROM watch_activity WHERE profile_id = ANY(${[...profileIds]}::text[])
      ) a
      LEFT JOIN LATERAL (
        SELECT array_agg(top.similar_title_id ORDER BY top.score DESC, top.similar_title_id) AS ids
        FROM (
          SELECT similar_title_id, score FROM title_similarities WHERE title_id = a.title_id
          ORDER BY score DESC, similar_title_id LIMIT ${SIMILAR_PER_SEED}
        ) top
      ) s ON true
      WHERE a.rank <= ${ACTIVITY_WINDOW}
      ORDER BY a.last_watched_at DESC, a.title_id`;
    const byProfile = new Map<string, ActivityRecord[]>(profileIds.map((id) => [id, []]));
    for (const row of rows) {
      byProfile.get(row.profile_id)?.push({
        titleId: row.title_id,
        lastWatchedAt: utc(row.last_watched_at).toISOString(),
        completed: row.completed,
        similarIds: row.similar_ids ?? [],
      });
    }
    return byProfile;
  }

  /** Every profile's watched title ids: the co-viewing input of the similarity job. */
  async historiesByProfile(): Promise<Map<string, string[]>> {
    const rows = await this.prisma.watchActivity.findMany({ select: { profileId: true, titleId: true } });
    const histories = new Map<string, string[]>();
    for (const a of rows) histories.set(a.profileId, [...(histories.get(a.profileId) ?? []), a.titleId]);
    return histories;
  }
}
