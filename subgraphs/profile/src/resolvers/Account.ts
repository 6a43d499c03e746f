import { requireViewer } from '@streaming/platform';
import type { AccountResolvers } from '../__generated__/resolvers-types';
import type { ProfileRecord } from '../domain';
import { PLANS } from '../plans';

export const Account: AccountResolvers = {
  // The gateway and other subgraphs reach accounts through here: only the viewer's own resolves.
  __resolveReference: async (reference, { loaders, viewer }) =>
    reference.id === requireViewer(viewer, 'an account').accountId ? loaders.accountById.load(reference.id) : null,
  plan: (account) => PLANS[account.planTier],
  profiles: async (account, _args, { loaders }) => {
    const ids = await loaders.profileIdsByAccountId.load(account.id);
    const profiles = await loaders.profileById.loadMany(ids);
    return profiles.filter((p): p is ProfileRecord => p !== null && !(p instanceof Error));
  },
};
