import { requireViewer } from '@streaming/platform';
import type { QueryResolvers } from '../__generated__/resolvers-types';

// Another account's ids answer exactly like ids that don't exist: null.
export const Query: QueryResolvers = {
  viewer: async (_parent, _args, { loaders, viewer }) => {
    const account = await loaders.accountById.load(requireViewer(viewer, 'who is signed in').accountId);
    return account && { account };
  },
  account: async (_parent, { id }, { loaders, viewer }) => {
    const who = requireViewer(viewer, 'an account');
    return id === who.accountId ? loaders.accountById.load(id) : null;
  },
  profile: async (_parent, { id }, { loaders, viewer }) => {
    const who = requireViewer(viewer, 'a profile');
    const profile = await loaders.profileById.load(id);
    return profile?.accountId === who.accountId ? profile : null;
  },
};
