import { hostname } from 'node:os';
import { ProfileOwnership, type Subscription, type SubgraphDefinition } from '@streaming/platform';
import { HomeVisitCache } from './caches/HomeVisitCache';
import { RankingPoolCache } from './caches/RankingPoolCache';
import type { RecommendationContext } from './context';
import { createLoaders } from './loaders/createLoaders';
import { HomeCursors } from './paging/HomeCursors';
import type { VisitDeps } from './paging/HomeVisit';
import { createRecommendationPrisma, type RecommendationPrisma } from './prisma';
import { createRepositories } from './repositories';
import { resolvers } from './resolvers';
import { isEmpty, seedRecommendation } from './seed';
import { PlaybackEventHandler } from './services/PlaybackEventHandler';
import { RecommendationService } from './services/RecommendationService';
import { recommendationSettingsFromEnv } from './settings';

/**
 * The recommendation subgraph: owns home rows and similar titles, on its own read model, which
 * it keeps current by consuming the playback event stream.
 */
export const recommendationSubgraph: SubgraphDefinition<RecommendationPrisma, RecommendationContext> = {
  name: 'recommendation',
  createPrisma: createRecommendationPrisma,
  setup({ store, cache, events, config, entityClient }) {
    const settings = recommendationSettingsFromEnv(config.env);
    const paging: VisitDeps = {
      cursors: new HomeCursors(settings.cursorSecret),
      visits: new HomeVisitCache(cache, settings.homeVisitSeconds),
      visitSeconds: settings.homeVisitSeconds,
      now: Date.now,
    };
    const { activity, similarities, features, readModel } = createRepositories(store.prisma);
    const pool = new RankingPoolCache(features, cache, config.cacheTtlSeconds, settings.localCacheSeconds);
    const profiles = entityClient('profile');
    const ownership = new ProfileOwnership(profiles);
    const handler = new PlaybackEventHandler(readModel, pool, settings.poolRefreshMs);
    let subscription: Subscription | undefined;
    let pruning: NodeJS.Timeout | undefined;
    return {
      resolvers,
      createContext: ({ viewer, requestId }) => {
        const loaders = createLoaders({ activity, similarities, profiles, cache, ttlSeconds: config.cacheTtlSeconds, viewer, requestId });
        return { loaders, viewer, recommendations: new RecommendationService(pool, loaders, ownership.loader(viewer, requestId), paging, viewer) };
      },
      start: async () => {
        subscription = await events.subscribe({
          group: 'recommendation',
          // Stable per instance (a host serves one instance per port), so a restart is the same
          // consumer again rather than one more left behind in the group.
          consumer: `${hostname()}:${config.port}`,
          reclaimIdleMs: settings.eventReclaimIdleMs,
          handle: (deliveries) => handler.handle(deliveries),
        });
        pruning = setInterval(() => void handler.prune(settings.eventDedupWindowMs).catch(() => undefined), 10 * 60_000).unref();
      },
      dispose: async () => {
        if (pruning) clearInterval(pruning);
        await subscription?.close();
        pool.dispose();
        await profiles.close();
      },
    };
  },
  isEmpty,
  seed: seedRecommendation,
};
