import { DATASET_EPOCH, generateDataset } from '@streaming/demo-data';
import { bulkInsert, type SeedOptions } from '@streaming/platform';
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
  // The large tables go in with bulkInsert, not createMany (see there why).
  await bulkInsert(prisma, 'country_views', dataset.countryViews.map((v) => ({
    title_id: v.titleId, country: v.country, views: v.views, trending_score: v.trendingScore, trending_updated_at: DATASET_EPOCH,
  })));

  // A title's activity is its latest progress row: the title-level view of playback.
  const latest = new Map<string, { profileId: string; titleId: string; lastWatchedAt: Date; completed: boolean }>();
  for (const p of dataset.progress) {
    const key = `${p.profileId}\u0000${p.titleId}`;
    const seen = latest.get(key);
    if (!seen || seen.lastWatchedAt < p.updatedAt) latest.set(key, { profileId: p.profileId, titleId: p.titleId, lastWatchedAt: p.updatedAt, completed: p.completed });
  }
  const activity = [...latest.values()];
  await bulkInsert(prisma, 'watch_activity', activity.map((a) => ({ profile_id: a.profileId, title_id: a.titleId, last_watched_at: a.lastWatchedAt, completed: a.completed })));
  await recomputeSimilarities(createRepositories(prisma));
}

/** True when the store holds no data yet (first start of the embedded store). */
export async function isEmpty(prisma: RecommendationPrisma): Promise<boolean> {
  return (await prisma.titleFeature.count()) === 0;
}
