import DataLoader from 'dataloader';
import { loadThroughCache, requireViewer, type Cache, type EntityClient, type Maturity, type Viewer } from '@streaming/platform';
import type { ActivityRecord } from '../domain';
import type { ActivityRepository } from '../repositories/ActivityRepository';
import type { SimilarityRepository } from '../repositories/SimilarityRepository';

export interface RecommendationLoaders {
  activityByProfileId: DataLoader<string, ActivityRecord[]>;
  similarByTitleId: DataLoader<string, string[]>;
  /** A profile's rating, for `similar(profileId:)`; null for an unknown profile or another account's. */
  maturityByProfileId: DataLoader<string, Maturity | null>;
}

export interface LoaderDeps {
  activity: ActivityRepository;
  similarities: SimilarityRepository;
  profiles: EntityClient;
  cache: Cache;
  ttlSeconds: number;
  viewer: Viewer | null;
  /** Forwarded on calls to the profile subgraph. */
  requestId?: string;
}

/**
 * Per-request loaders. Activity is per profile and changes as people watch, so it is read from
 * the store (one statement for the whole request, similar titles joined in). Similarities are
 * the batch job's output, shared by everyone, and go through the shared cache.
 */
export function createLoaders(deps: LoaderDeps): RecommendationLoaders {
  return {
    activityByProfileId: new DataLoader(async (profileIds) => {
      const byProfile = await deps.activity.recentByProfiles(profileIds);
      return profileIds.map((id) => byProfile.get(id) ?? []);
    }),
    similarByTitleId: new DataLoader(async (titleIds) => {
      const lists = await loadThroughCache(titleIds, {
        cache: deps.cache, ttlSeconds: deps.ttlSeconds,
        cacheKey: (id) => `recommendation:similar:${id}`,
        loadMissing: (missing) => deps.similarities.byTitleIds(missing),
      });
      return lists.map((ids) => ids ?? []);
    }),
    // Asked with the viewer's credential, the profile subgraph answers only for the viewer's profiles.
    maturityByProfileId: new DataLoader(async (profileIds) => {
      const viewer = requireViewer(deps.viewer, 'titles for a profile');
      const profiles = await deps.profiles.fetch<{ maturityRating: Maturity }>('Profile', profileIds, 'maturityRating', { credential: viewer.credential, requestId: deps.requestId });
      return profiles.map((p) => p?.maturityRating ?? null);
    }),
  };
}
