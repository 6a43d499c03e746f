import type { TitleResolvers } from '../__generated__/resolvers-types';

export const Title: TitleResolvers = {
  // Playback knows titles by id only; everything else about them comes from the catalog.
  __resolveReference: (reference) => ({ id: reference.id }),
  progress: (title, { profileId }, { loaders }) => loaders.titleProgress.load({ profileId, id: title.id }),
};
