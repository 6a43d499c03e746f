import type { MutationResolvers } from '../__generated__/resolvers-types';

export const Mutation: MutationResolvers = {
  addToMyList: (_parent, { profileId, titleId }, { profiles, loaders }) => profiles.addToMyList(loaders, profileId, titleId),
  removeFromMyList: (_parent, { profileId, titleId }, { profiles, loaders }) => profiles.removeFromMyList(loaders, profileId, titleId),
  createProfile: (_parent, { input }, { profiles, loaders }) => profiles.createProfile(loaders, input),
  updateProfile: (_parent, { id, input }, { profiles, loaders }) => profiles.updateProfile(loaders, id, input),
  deleteProfile: (_parent, { id }, { profiles, loaders }) => profiles.deleteProfile(loaders, id),
};
