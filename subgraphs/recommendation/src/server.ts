import { hostname } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { EntityClient, intFrom, ProfileOwnership, type Subscription, type SubgraphDefinition } from '@streaming/shared';
import type { RecommendationContext } from './context';
import { PlaybackEventHandler } from './events/PlaybackEventHandler';
import { createLoaders } from './loaders/createLoaders';
import { PoolProvider } from './loaders/PoolProvider';
import { createRecommendationPrisma, type RecommendationPrisma } from './prisma';
import { ActivityRepository } from './repositories/ActivityRepository';
import { FeatureRepository } from './repositories/FeatureRepository';
import { SimilarityRepository } from './repositories/SimilarityRepository';
import { resolvers } from './resolvers';
import { seedRecommendation } from './seed';

/**
 * The recommendation subgraph: owns home rows and similar titles, on its own read model, which
 * it keeps current by consuming the playback event stream.
 */
export const recommendationSubgraph: SubgraphDefinition<RecommendationPrisma, RecommendationContext> = {
  name: 'recommendation',
  schemaPath: path.resolve(__dirname, '../schema.graphql'),
  createPrisma: createRecommendationPrisma,
  setup({ store, cache, events, config }) {
    const activity = new ActivityRepository(store.prisma);
    const similarities = new SimilarityRepository(store.prisma);
    const pool = new PoolProvider(new FeatureRepository(store.prisma), cache, config.cacheTtlSeconds, config.localCacheSeconds);
    const profiles = new EntityClient(config.subgraphUrls.profile, 'profile');
    const ownership = new ProfileOwnership(profiles);
    const handler = new PlaybackEventHandler(store.prisma);
    const poolRefreshMs = intFrom(config.env, 'POOL_REFRESH_MS', 5_000);
    let subscription: Subscription | undefined;
    let pruning: NodeJS.Timeout | undefined;
    const dedupWindowMs = intFrom(config.env, 'EVENT_DEDUP_WINDOW_HOURS', 7 * 24) * 3_600_000;
    return {
      resolvers,
      createContext: ({ viewer }) => ({
        pool,
        viewer,
        ownsProfile: ownership.loader(viewer),
        loaders: createLoaders({ activity, similarities, profiles, cache, ttlSeconds: config.cacheTtlSeconds, viewer }),
      }),
      start: async () => {
        subscription = await events.subscribe({
          group: 'recommendation',
          consumer: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
          reclaimIdleMs: intFrom(config.env, 'EVENT_RECLAIM_IDLE_MS', 30_000),
          handle: async (deliveries) => {
            const applied = await handler.handle(deliveries);
            if (applied.some((e) => e.type === 'PlaybackStarted')) pool.invalidate(poolRefreshMs);
          },
        });
        pruning = setInterval(() => void handler.prune(dedupWindowMs).catch(() => undefined), 10 * 60_000).unref();
      },
      dispose: async () => {
        if (pruning) clearInterval(pruning);
        await subscription?.close();
        pool.dispose();
        await profiles.close();
      },
    };
  },
  isEmpty: async (prisma) => (await prisma.titleFeature.count()) === 0,
  seed: seedRecommendation,
};
