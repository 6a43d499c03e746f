import { maturityRank, type Maturity } from '@streaming/platform';
import type { RowKind } from '../__generated__/resolvers-types';
import type { ActivityRecord, HomeRowRecord } from '../domain';
import type { Pool } from './pool';

export interface HomeRowsInput {
  profileId: string;
  maturityRating: Maturity;
  country: string | undefined;
  myListIds: string[];
  activity: ActivityRecord[];
  rows: number;
  itemsPerRow: number;
  /** Keep rows that have no title to show, in their place (a visit's snapshot: see paging/). */
  keepEmptyRows?: boolean;
}

const BECAUSE_YOU_WATCHED_ROWS = 5;

/**
 * Assembles a profile's home screen from the shared pool and its own activity. Pure, so the
 * rules are unit-tested: rows in a fixed order of intent (resume, saved, what's hot, personal,
 * new, then genres by the profile's affinity); no title above the profile's rating anywhere; no
 * title twice within a row; empty rows left out. Deterministic, and a smaller screen is always a
 * prefix of a larger one (fewer rows, fewer titles each): paging through a visit relies on it.
 */
export function buildHomeRows(pool: Pool, input: HomeRowsInput): HomeRowRecord[] {
  const limit = maturityRank(input.maturityRating);
  const rows: HomeRowRecord[] = [];
  const push = (kind: RowKind, key: string, title: string, candidates: Iterable<string>) => {
    if (rows.length >= input.rows) return;
    const itemIds: string[] = [];
    const seen = new Set<string>();
    for (const id of candidates) {
      if (itemIds.length >= input.itemsPerRow) break;
      const rank = pool.rank.get(id);
      // Unknown to the read model (not yet projected) or above the rating: never shown.
      if (rank === undefined || rank > limit || seen.has(id)) continue;
      seen.add(id);
      itemIds.push(id);
    }
    if (itemIds.length === 0 && input.itemsPerRow > 0 && !input.keepEmptyRows) return;
    rows.push({ id: `${input.profileId}:${key}`, kind, title, itemIds });
  };

  const inProgress = input.activity.filter((a) => !a.completed).map((a) => a.titleId);
  push('CONTINUE_WATCHING', 'continue-watching', 'Continue Watching', inProgress);
  push('MY_LIST', 'my-list', 'My List', input.myListIds);
  push('TRENDING', 'trending', 'Trending Now', pool.trending(input.country));
  push('TOP_10', 'top-10', input.country ? `Top 10 in ${input.country}` : 'Top 10', pool.top(input.country).slice(0, 10));

  const seeds = input.activity.filter((a) => a.similarIds.length > 0 && pool.rank.has(a.titleId)).slice(0, BECAUSE_YOU_WATCHED_ROWS);
  for (const seed of seeds) {
    const name = pool.features.get(seed.titleId)?.name ?? 'a title you watched';
    push('BECAUSE_YOU_WATCHED', `because-you-watched:${seed.titleId}`, `Because you watched ${name}`,
      seed.similarIds.filter((id) => id !== seed.titleId));
  }
  push('NEW_RELEASES', 'new-releases', 'New Releases', pool.snapshot.newReleases);

  // Genres the profile watches and saves most come first; the rest by catalogue size.
  const affinity = new Map<string, number>();
  for (const id of [...input.activity.map((a) => a.titleId), ...input.myListIds]) {
    for (const genreId of pool.features.get(id)?.genreIds ?? []) affinity.set(genreId, (affinity.get(genreId) ?? 0) + 1);
  }
  const genres = [...pool.snapshot.genres].sort((a, b) =>
    (affinity.get(b.id) ?? 0) - (affinity.get(a.id) ?? 0)
    || (pool.snapshot.byGenre[b.id]?.length ?? 0) - (pool.snapshot.byGenre[a.id]?.length ?? 0)
    || a.id.localeCompare(b.id));
  for (const genre of genres) push('GENRE', `genre:${genre.id}`, genre.name, pool.snapshot.byGenre[genre.id] ?? []);
  return rows;
}
