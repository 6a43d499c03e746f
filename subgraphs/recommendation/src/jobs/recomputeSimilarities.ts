import type { RecommendationRepositories } from '../repositories';
import { computeSimilarities } from './computeSimilarities';

/**
 * The batch similarity job (the role Spark plays): reads all watch activity and title features
 * from this subgraph's store, computes item-to-item similarity, and replaces the table in one
 * transaction, so readers see either the old or the new similarities, never half of each.
 * Cached lists (`Title.similar`, "because you watched") pick the new ones up within the cache TTL.
 */
export async function recomputeSimilarities(repos: Pick<RecommendationRepositories, 'activity' | 'features' | 'similarities'>): Promise<{ titles: number; pairs: number }> {
  const [histories, titles] = await Promise.all([repos.activity.historiesByProfile(), repos.features.allTitles()]);
  const similarities = computeSimilarities(histories, titles);
  await repos.similarities.replaceAll(similarities);
  return { titles: titles.length, pairs: similarities.length };
}
