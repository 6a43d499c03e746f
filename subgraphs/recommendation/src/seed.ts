import { DATASET_EPOCH, type Dataset } from '@streaming/shared';
import { recomputeSimilarities } from './jobs/recomputeSimilarities';
import type { TitleFeature } from './domain';
import type { RecommendationPrisma } from './prisma';

/**
 * Writes the recommendation read model for the demo dataset: title and genre features (what
 * the catalog would publish), watch activity (what playback events would feed), country view
 * counts, and one run of the similarity batch job over that activity.
 */
export async function seedRecommendation(prisma: RecommendationPrisma, dataset: Dataset): Promise<void> {
  const features: TitleFeature[] = dataset.titles.map((t) => ({
    id: t.id, name: t.name, maturityRating: t.maturityRating, releaseYear: t.releaseYear,
    addedAt: t.addedAt.toISOString(), genreIds: t.genreIds, popularity: t.popularity,
  }));
  await prisma.genreFeature.createMany({ data: dataset.genres });
  await prisma.titleFeature.createMany({
    data: features.map(({ id, addedAt, ...rest }) => ({ titleId: id, addedAt: new Date(addedAt), ...rest })),
  });
  for (let i = 0; i < dataset.countryViews.length; i += 5_000) {
    // The seeded counts are as of the dataset's epoch; live viewing decays them from there.
    await prisma.countryViews.createMany({ data: dataset.countryViews.slice(i, i + 5_000).map((v) => ({ ...v, trendingUpdatedAt: DATASET_EPOCH })) });
  }

  // A title's activity is its latest progress row: the title-level view of playback.
  const latest = new Map<string, { profileId: string; titleId: string; lastWatchedAt: Date; completed: boolean }>();
  for (const p of dataset.progress) {
    const key = `${p.profileId}\u0000${p.titleId}`;
    const seen = latest.get(key);
    if (!seen || seen.lastWatchedAt < p.updatedAt) latest.set(key, { profileId: p.profileId, titleId: p.titleId, lastWatchedAt: p.updatedAt, completed: p.completed });
  }
  const activity = [...latest.values()];
  for (let i = 0; i < activity.length; i += 5_000) await prisma.watchActivity.createMany({ data: activity.slice(i, i + 5_000) });
  await recomputeSimilarities(prisma);
}
