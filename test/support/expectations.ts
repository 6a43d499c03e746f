import { generateDataset, type Dataset, type ProgressData } from '@streaming/demo-data';
import { isAllowed, type Maturity } from '@streaming/platform';

/**
 * The seeded data, regenerated from the same seed and scale the test supergraph used. Tests
 * compare what the gateway returns with this, so they check the data survived the trip through
 * four stores, caches and the gateway, not merely that "something" came back.
 */
export const SCALE = Number(process.env.TEST_SEED_SCALE || 0.1);
export const dataset: Dataset = generateDataset({ scale: SCALE });

export const titleById = new Map(dataset.titles.map((t) => [t.id, t]));
export const profileById = new Map(dataset.profiles.map((p) => [p.id, p]));

/** Unfinished titles of a profile, most recent first, within its rating: Continue Watching. */
export function expectedContinueWatching(profileId: string): string[] {
  const rating = profileById.get(profileId)!.maturityRating;
  const latest = new Map<string, ProgressData>();
  for (const row of dataset.progress.filter((p) => p.profileId === profileId)) {
    const seen = latest.get(row.titleId);
    if (!seen || seen.updatedAt < row.updatedAt) latest.set(row.titleId, row);
  }
  return [...latest.values()]
    .filter((row) => !row.completed && isAllowed(titleById.get(row.titleId)!.maturityRating, rating))
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
    .map((row) => row.titleId);
}

export function expectedMyList(profileId: string): string[] {
  return dataset.myList
    .filter((e) => e.profileId === profileId)
    .sort((a, b) => b.addedAt.getTime() - a.addedAt.getTime() || a.titleId.localeCompare(b.titleId))
    .map((e) => e.titleId);
}

export function ratingOf(profileId: string): Maturity {
  return profileById.get(profileId)!.maturityRating;
}
