import type { MutationResolvers } from '../__generated__/resolvers-types';

export const Mutation: MutationResolvers = {
  addToMyList: (_parent, { profileId, titleId }, { profiles }) => profiles.addToMyList(profileId, titleId),
  removeFromMyList: (_parent, { profileId, titleId }, { profiles }) => profiles.removeFromMyList(profileId, titleId),
  createProfile: (_parent, { input }, { profiles }) => profiles.createProfile(input),
  updateProfile: (_parent, { id, input }, { profiles }) => profiles.updateProfile(id, input),
  deleteProfile: (_parent, { id }, { profiles }) => profiles.deleteProfile(id),
};
