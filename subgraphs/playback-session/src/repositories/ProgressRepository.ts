import type { ProgressRecord } from '../domain';
import type { PlaybackPrisma } from '../prisma';

type Row = Awaited<ReturnType<PlaybackPrisma['viewingProgress']['findMany']>>[number];

function toRecord(row: Row): ProgressRecord {
  return {
    profileId: row.profileId,
    titleId: row.titleId,
    episodeId: row.episodeId,
    positionSeconds: row.positionSeconds,
    durationSeconds: row.durationSeconds,
    completed: row.completed,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export class ProgressRepository {
  constructor(private readonly prisma: PlaybackPrisma) {}

  /**
   * Progress rows for any (profile, title) pairs, most recent first, in one statement. A home
   * screen asks for one profile and hundreds of titles, so "profile in P and title in T" is
   * exact there and a tight superset otherwise; callers pick their pairs out of it.
   */
  async latestByTitle(profileIds: string[], titleIds: string[]): Promise<ProgressRecord[]> {
    const rows = await this.prisma.viewingProgress.findMany({
      where: { profileId: { in: profileIds }, titleId: { in: titleIds } },
      orderBy: [{ updatedAt: 'desc' }, { contentId: 'asc' }],
    });
    return rows.map(toRecord);
  }

  async byContent(profileIds: string[], contentIds: string[]): Promise<ProgressRecord[]> {
    const rows = await this.prisma.viewingProgress.findMany({
      where: { profileId: { in: profileIds }, contentId: { in: contentIds } },
    });
    return rows.map(toRecord);
  }

  /** The recent history of some profiles, newest first; bounded so a binge-watcher stays cheap. */
  async recentByProfiles(profileIds: string[], perProfile: number): Promise<ProgressRecord[]> {
    const rows = await this.prisma.viewingProgress.findMany({
      where: { profileId: { in: profileIds } },
      orderBy: [{ updatedAt: 'desc' }, { contentId: 'asc' }],
      take: perProfile * profileIds.length,
    });
    return rows.map(toRecord);
  }
}
