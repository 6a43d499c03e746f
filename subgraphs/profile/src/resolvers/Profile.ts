import { notFound, requireViewer } from '@streaming/platform';
import type { ProfileResolvers } from '../__generated__/resolvers-types';

export const Profile: ProfileResolvers = {
  // The gateway and other subgraphs reach profiles through here: only the viewer's own resolve.
  __resolveReference: async (reference, { loaders, viewer }) => {
    const who = requireViewer(viewer, 'a profile');
    const profile = await loaders.profileById.load(reference.id);
    return profile?.accountId === who.accountId ? profile : null;
  },
  account: async (profile, _args, { loaders }) => {
    const account = await loaders.accountById.load(profile.accountId);
    if (!account) throw notFound(`account ${profile.accountId} of profile ${profile.id} does not exist`);
    return account;
  },
  myList: async (profile, _args, { loaders }) => (await loaders.myListByProfileId.load(profile.id)).map((id) => ({ id })),
};
