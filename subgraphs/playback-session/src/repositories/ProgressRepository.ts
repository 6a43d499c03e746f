import { Prisma } from '../__generated__/prisma/client';
import type { ProgressRecord } from '../domain';
import type { PlaybackPrisma } from '../prisma';

/** One durable position to write: a movie's or an episode's. */
export type ProgressWrite = Omit<ProgressRecord, 'updatedAt'> & { updatedAt: Date };

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

  /**
   * Writes many positions in one statement. A row only replaces an older one: the progress
   * writer's coalesced flush and a stop can race, and the stop's final position must win.
   */
  async upsertMany(rows: ProgressWrite[]): Promise<void> {
    if (rows.length === 0) return;
    const values = rows.map((r) => Prisma.sql`(${r.profileId}, ${r.episodeId ?? r.titleId}, ${r.titleId}, ${r.episodeId}, ${r.positionSeconds}, ${r.durationSeconds}, ${r.completed}, ${r.updatedAt})`);
    await this.prisma.$executeRaw`
      INSERT INTO viewing_progress (profile_id, content_id, title_id, episode_id, position_seconds, duration_seconds, completed, updated_at)
      VALUES ${Prisma.join(values)}
      ON CONFLICT (profile_id, content_id) DO UPDATE SET
        position_seconds = EXCLUDED.position_seconds, duration_seconds = EXCLUDED.duration_seconds,
        completed = EXCLUDED.completed, updated_at = EXCLUDED.updated_at
      WHERE viewing_progress.updated_at <= EXCLUDED.updated_at`;
  }

  /** The latest row of one title for one profile: where a series resumes. */
  async latestForTitle(profileId: string, titleId: string): Promise<ProgressRecord | null> {
    const row = await this.prisma.viewingProgress.findFirst({
      where: { profileId, titleId },
      orderBy: [{ updatedAt: 'desc' }, { contentId: 'asc' }],
    });
    return row ? toRecord(row) : null;
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
