import type { AccountResolvers } from '../__generated__/resolvers-types';
import type { ProfileRecord } from '../domain';
import { PLANS } from '../plans';

export const Account: AccountResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.accountById.load(reference.id),
  plan: (account) => PLANS[account.planTier],
  profiles: async (account, _args, { loaders }) => {
    const ids = await loaders.profileIdsByAccountId.load(account.id);
    const profiles = await loaders.profileById.loadMany(ids);
    return profiles.filter((p): p is ProfileRecord => p !== null && !(p instanceof Error));
  },
};
