import path from 'node:path';
import { EntityClient, type SubgraphDefinition } from '@streaming/shared';
import type { RecommendationContext } from './context';
import { createLoaders } from './loaders/createLoaders';
import { PoolProvider } from './loaders/PoolProvider';
import { createRecommendationPrisma, type RecommendationPrisma } from './prisma';
import { ActivityRepository } from './repositories/ActivityRepository';
import { FeatureRepository } from './repositories/FeatureRepository';
import { SimilarityRepository } from './repositories/SimilarityRepository';
import { resolvers } from './resolvers';
import { seedRecommendation } from './seed';

/** The recommendation subgraph: owns home rows and similar titles, on its own read model. */
export const recommendationSubgraph: SubgraphDefinition<RecommendationPrisma, RecommendationContext> = {
  name: 'recommendation',
  schemaPath: path.resolve(__dirname, '../schema.graphql'),
  createPrisma: createRecommendationPrisma,
  setup({ store, cache, config }) {
    const activity = new ActivityRepository(store.prisma);
    const similarities = new SimilarityRepository(store.prisma);
    const pool = new PoolProvider(new FeatureRepository(store.prisma), cache, config.cacheTtlSeconds, config.localCacheSeconds);
    const profiles = new EntityClient(config.subgraphUrls.profile, 'profile');
    return {
      resolvers,
      createContext: () => ({
        pool,
        loaders: createLoaders({ activity, similarities, profiles, cache, ttlSeconds: config.cacheTtlSeconds }),
      }),
      dispose: () => profiles.close(),
    };
  },
  isEmpty: async (prisma) => (await prisma.titleFeature.count()) === 0,
  seed: seedRecommendation,
};
