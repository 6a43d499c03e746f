import { utc } from '@streaming/platform';
import { Prisma } from '../__generated__/prisma/client';
import type { ProgressRecord } from '../domain';
import type { PlaybackPrisma } from '../prisma';

/** One durable position to write: a movie's or an episode's. */
export type ProgressWrite = Omit<ProgressRecord, 'updatedAt'> & { updatedAt: Date };

interface RawRow {
  profile_id: string;
  title_id: string;
  episode_id: string | null;
  position_seconds: number;
  duration_seconds: number;
  completed: boolean;
  updated_at: Date | string;
}

type Row = Awaited<ReturnType<PlaybackPrisma['viewingProgress']['findMany']>>[number];

function fromRaw(r: RawRow): ProgressRecord {
  return {
    profileId: r.profile_id, titleId: r.title_id, episodeId: r.episode_id, positionSeconds: r.position_seconds,
    durationSeconds: r.duration_seconds, completed: r.completed, updatedAt: utc(r.updated_at).toISOString(),
  };
}

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
   * exact there and a tight superset otherwise; callers pick their pairs out of it. The titles go
   * as one array parameter: as Prisma's `in` they were one parameter each, and building those
   * (its `nestArgument`) was 2.6% of playback's CPU in a profile of warm home screens.
   */
  async latestByTitle(profileIds: string[], titleIds: string[]): Promise<ProgressRecord[]> {
    const rows = await this.prisma.$queryRaw<RawRow[]>`
      SELECT profile_id, title_id, episode_id, position_seconds, duration_seconds, completed, updated_at
      FROM viewing_progress
      WHERE profile_id = ANY(${profileIds}::text[]) AND title_id = ANY(${titleIds}::text[])
      ORDER BY updated_at DESC, content_id`;
    return rows.map(fromRaw);
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
    // One statement can't update a row twice: two devices of one profile playing the same
    // thing in one flush are one row, and the newest position is the one that counts.
    const newest = new Map<string, ProgressWrite>();
    for (const row of rows) {
      const key = `${row.profileId}\u0000${row.episodeId ?? row.titleId}`;
      const seen = newest.get(key);
      if (!seen || seen.updatedAt <= row.updatedAt) newest.set(key, row);
    }
    if (newest.size === 0) return;
    const values = [...newest.values()].map((r) => Prisma.sql`(${r.profileId}, ${r.episodeId ?? r.titleId}, ${r.titleId}, ${r.episodeId}, ${r.positionSeconds}, ${r.durationSeconds}, ${r.completed}, ${r.updatedAt})`);
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

  /**
   * The recent history of some profiles, newest first, at most `perProfile` rows each (so a
   * binge-watcher stays cheap and can't crowd out the other profiles of a batch).
   */
  async recentByProfiles(profileIds: string[], perProfile: number): Promise<ProgressRecord[]> {
    const rows = await this.prisma.$queryRaw<RawRow[]>`
      SELECT profile_id, title_id, episode_id, position_seconds, duration_seconds, completed, updated_at
      FROM (
        SELECT *, row_number() OVER (PARTITION BY profile_id ORDER BY updated_at DESC, content_id) AS rank
        FROM viewing_progress WHERE profile_id = ANY(${profileIds}::text[])
      ) ranked
      WHERE rank <= ${perProfile}
      ORDER BY updated_at DESC, content_id`;
    return rows.map(fromRaw);
  }
}
