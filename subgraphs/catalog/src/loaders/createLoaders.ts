import DataLoader from 'dataloader';
import { loadThroughCache, type Cache } from '@streaming/platform';
import type { EpisodeRecord, GenreRecord, SeasonRecord, TitleRecord } from '../domain';
import type { CatalogRepositories } from '../repositories';

export interface CatalogLoaders {
  titleById: DataLoader<string, TitleRecord | null>;
  genreById: DataLoader<string, GenreRecord | null>;
  episodeById: DataLoader<string, EpisodeRecord | null>;
  seasonsByTitleId: DataLoader<string, SeasonRecord[]>;
}

/**
 * One set of loaders per request. A home screen resolves hundreds of title tiles through
 * `_entities`; without these every tile would be its own SQL statement (N+1). Each batch
 * function makes one MGET against the shared cache and at most one statement for the misses,
 * so the statements per request stay the same however many rows and items are asked for.
 */
export function createLoaders(repos: CatalogRepositories, cache: Cache, ttlSeconds: number): CatalogLoaders {
  return {
    titleById: new DataLoader((ids) =>
      loadThroughCache(ids, { cache, ttlSeconds, cacheKey: (id) => `catalog:title:${id}`, loadMissing: (m) => repos.titles.findByIds(m) }),
    ),
    genreById: new DataLoader((ids) =>
      loadThroughCache(ids, { cache, ttlSeconds, cacheKey: (id) => `catalog:genre:${id}`, loadMissing: (m) => repos.genres.findByIds(m) }),
    ),
    episodeById: new DataLoader((ids) =>
      loadThroughCache(ids, { cache, ttlSeconds, cacheKey: (id) => `catalog:episode:${id}`, loadMissing: (m) => repos.episodes.findByIds(m) }),
    ),
    seasonsByTitleId: new DataLoader(async (titleIds) => {
      const seasons = await loadThroughCache(titleIds, {
        cache, ttlSeconds, cacheKey: (id) => `catalog:seasons:${id}`, loadMissing: (m) => repos.episodes.seasonsByTitleIds(m),
      });
      return seasons.map((list) => list ?? []);
    }),
  };
}
