import { DATASET_EPOCH, generateDataset } from '@streaming/demo-data';
import { inChunks, type SeedOptions } from '@streaming/platform';
import { recomputeSimilarities } from './jobs/recomputeSimilarities';
import { createRepositories } from './repositories';
import type { RecommendationPrisma } from './prisma';

/**
 * Writes the recommendation read model for the demo dataset: title and genre features (what
 * the catalog would publish), watch activity (what playback events would feed), country view
 * counts, and one run of the similarity batch job over that activity.
 */
export async function seedRecommendation(prisma: RecommendationPrisma, { scale }: SeedOptions): Promise<void> {
  const dataset = generateDataset({ scale });
  await prisma.genreFeature.createMany({ data: dataset.genres });
  await prisma.titleFeature.createMany({
    data: dataset.titles.map((t) => ({
      titleId: t.id, name: t.name, maturityRating: t.maturityRating, releaseYear: t.releaseYear,
      addedAt: t.addedAt, genreIds: t.genreIds, popularity: t.popularity,
    })),
  });
  // The seeded counts are as of the dataset's epoch; live viewing decays them from there.
  await inChunks(dataset.countryViews.map((v) => ({ ...v, trendingUpdatedAt: DATASET_EPOCH })), 5_000,
    (data) => prisma.countryViews.createMany({ data }));

  // A title's activity is its latest progress row: the title-level view of playback.
  const latest = new Map<string, { profileId: string; titleId: string; lastWatchedAt: Date; completed: boolean }>();
  for (const p of dataset.progress) {
    const key = `${p.profileId}\u0000${p.titleId}`;
    const seen = latest.get(key);
    if (!seen || seen.lastWatchedAt < p.updatedAt) latest.set(key, { profileId: p.profileId, titleId: p.titleId, lastWatchedAt: p.updatedAt, completed: p.completed });
  }
  const activity = [...latest.values()];
  await inChunks(activity, 5_000, (data) => prisma.watchActivity.createMany({ data }));
  await recomputeSimilarities(createRepositories(prisma));
}

/** True when the store holds no data yet (first start of the embedded store). */
export async function isEmpty(prisma: RecommendationPrisma): Promise<boolean> {
  return (await prisma.titleFeature.count()) === 0;
}
