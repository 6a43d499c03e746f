import type { TitleFeature } from '../domain';
import type { RecommendationPrisma } from '../prisma';
import { SimilarityRepository } from '../repositories/SimilarityRepository';
import { computeSimilarities } from './computeSimilarities';

/**
 * The batch similarity job (the role Spark plays): reads all watch activity and title features
 * from this subgraph's store, computes item-to-item similarity, and replaces the table in one
 * transaction, so readers see either the old or the new similarities, never half of each.
 * Cached lists (`Title.similar`, "because you watched") pick the new ones up within the cache TTL.
 */
export async function recomputeSimilarities(prisma: RecommendationPrisma): Promise<{ titles: number; pairs: number }> {
  const [activity, features] = await Promise.all([
    prisma.watchActivity.findMany({ select: { profileId: true, titleId: true } }),
    prisma.titleFeature.findMany(),
  ]);
  const histories = new Map<string, string[]>();
  for (const a of activity) histories.set(a.profileId, [...(histories.get(a.profileId) ?? []), a.titleId]);
  const titles: TitleFeature[] = features.map((f) => ({
    id: f.titleId, name: f.name, maturityRating: f.maturityRating, releaseYear: f.releaseYear,
    addedAt: f.addedAt.toISOString(), genreIds: f.genreIds, popularity: f.popularity,
  }));
  const similarities = computeSimilarities(histories, titles);
  await new SimilarityRepository(prisma).replaceAll(similarities);
  return { titles: titles.length, pairs: similarities.length };
}
