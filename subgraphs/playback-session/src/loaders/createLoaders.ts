import DataLoader from 'dataloader';
import type { ProgressRecord } from '../domain';
import type { ProgressRepository } from '../repositories/ProgressRepository';

export interface PlaybackLoaders {
  /** Key: profileId + title id. The latest row for the title (a series' episode to resume). */
  titleProgress: DataLoader<PairKey, ProgressRecord | null, string>;
  /** Key: profileId + episode id. */
  episodeProgress: DataLoader<PairKey, ProgressRecord | null, string>;
  /** Key: profileId. Unfinished titles, newest first, one row per title. */
  continueWatching: DataLoader<string, ProgressRecord[]>;
}

export interface PairKey {
  profileId: string;
  id: string;
}

const pairKey = (key: PairKey) => `${key.profileId}\u0000${key.id}`;
const unique = <T>(values: T[]) => [...new Set(values)];

/** How far back continue watching looks; a row past this many recent items is stale anyway. */
export const HISTORY_WINDOW = 200;

/**
 * Progress is per profile and written constantly while people watch, so it is read from the
 * store rather than the shared cache; batching keeps that to one statement per request whatever
 * the number of tiles: a home screen's hundreds of `Title.progress` fields become one query.
 */
export function createLoaders(progress: ProgressRepository): PlaybackLoaders {
  return {
    titleProgress: new DataLoader(
      async (keys) => {
        const rows = await progress.latestByTitle(unique(keys.map((k) => k.profileId)), unique(keys.map((k) => k.id)));
        const latest = new Map<string, ProgressRecord>();
        // Rows arrive newest first, so the first row seen for a pair is the one to resume.
        for (const row of rows) {
          const key = pairKey({ profileId: row.profileId, id: row.titleId });
          if (!latest.has(key)) latest.set(key, row);
        }
        return keys.map((k) => latest.get(pairKey(k)) ?? null);
      },
      { cacheKeyFn: pairKey },
    ),
    episodeProgress: new DataLoader(
      async (keys) => {
        const rows = await progress.byContent(unique(keys.map((k) => k.profileId)), unique(keys.map((k) => k.id)));
        const byPair = new Map(rows.map((row) => [pairKey({ profileId: row.profileId, id: row.episodeId ?? row.titleId }), row]));
        return keys.map((k) => byPair.get(pairKey(k)) ?? null);
      },
      { cacheKeyFn: pairKey },
    ),
    continueWatching: new DataLoader(async (profileIds) => {
      const rows = await progress.recentByProfiles([...profileIds], HISTORY_WINDOW);
      const seen = new Set<string>();
      const byProfile = new Map<string, ProgressRecord[]>(profileIds.map((id) => [id, []]));
      for (const row of rows) {
        const key = pairKey({ profileId: row.profileId, id: row.titleId });
        if (seen.has(key)) continue;
        seen.add(key);
        // Only a title's latest row decides: a series whose last episode was finished is not
        // "in progress" at that episode.
        if (!row.completed) byProfile.get(row.profileId)?.push(row);
      }
      return profileIds.map((id) => byProfile.get(id) ?? []);
    }),
  };
}
