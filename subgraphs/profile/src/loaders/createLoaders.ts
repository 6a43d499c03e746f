import DataLoader from 'dataloader';
import { loadThroughCache, type Cache } from '@streaming/platform';
import { cacheKeys } from '../cacheKeys';
import type { AccountRecord, ProfileRecord } from '../domain';
import type { ProfileRepositories } from '../repositories';

export interface ProfileLoaders {
  accountById: DataLoader<string, AccountRecord | null>;
  profileById: DataLoader<string, ProfileRecord | null>;
  profileIdsByAccountId: DataLoader<string, string[]>;
  myListByProfileId: DataLoader<string, string[]>;
}

/**
 * Per-request loaders. Accounts, profiles and the profile ids of an account are hot and read
 * through the shared cache (writes invalidate them in ProfileService). My List is read from the
 * store every request: it changes often, is one indexed statement, and "added a title, went
 * back to the home screen" must show it at once.
 */
export function createLoaders(repos: ProfileRepositories, cache: Cache, ttlSeconds: number): ProfileLoaders {
  return {
    accountById: new DataLoader((ids) =>
      loadThroughCache(ids, { cache, ttlSeconds, cacheKey: cacheKeys.account, loadMissing: (m) => repos.accounts.findByIds(m) }),
    ),
    profileById: new DataLoader((ids) =>
      loadThroughCache(ids, { cache, ttlSeconds, cacheKey: cacheKeys.profile, loadMissing: (m) => repos.profiles.findByIds(m) }),
    ),
    profileIdsByAccountId: new DataLoader(async (accountIds) => {
      const lists = await loadThroughCache(accountIds, {
        cache, ttlSeconds, cacheKey: cacheKeys.accountProfiles, loadMissing: (m) => repos.profiles.idsByAccountIds(m),
      });
      return lists.map((ids) => ids ?? []);
    }),
    myListByProfileId: new DataLoader(async (profileIds) => {
      const lists = await repos.myList.titleIdsByProfileIds(profileIds);
      return profileIds.map((id) => lists.get(id) ?? []);
    }),
  };
}
