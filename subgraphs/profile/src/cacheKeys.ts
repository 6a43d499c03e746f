/**
 * The profile subgraph's keys in the shared cache. Loaders read through them and ProfileService
 * deletes them after a write, so both take them from here rather than one from the other.
 */
export const cacheKeys = {
  account: (id: string) => `profile:account:${id}`,
  profile: (id: string) => `profile:profile:${id}`,
  accountProfiles: (accountId: string) => `profile:account-profiles:${accountId}`,
};
