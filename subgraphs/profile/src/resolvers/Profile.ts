import { notFound } from '@streaming/shared';
import type { ProfileResolvers } from '../__generated__/resolvers-types';

export const Profile: ProfileResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.profileById.load(reference.id),
  account: async (profile, _args, { loaders }) => {
    const account = await loaders.accountById.load(profile.accountId);
    if (!account) throw notFound(`account ${profile.accountId} of profile ${profile.id} does not exist`);
    return account;
  },
  myList: async (profile, _args, { loaders }) => (await loaders.myListByProfileId.load(profile.id)).map((id) => ({ id })),
};
