import type { TitleResolvers } from '../__generated__/resolvers-types';

export const Title: TitleResolvers = {
  // Playback knows titles by id only; everything else about them comes from the catalog.
  __resolveReference: (reference) => ({ id: reference.id }),
  // Another account's profile has no progress, exactly like a profile that doesn't exist.
  progress: async (title, { profileId }, { loaders, ownsProfile }) =>
    (await ownsProfile.load(profileId)) ? loaders.titleProgress.load({ profileId, id: title.id }) : null,
};
