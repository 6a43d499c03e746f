import type { EpisodeResolvers } from '../__generated__/resolvers-types';

export const Episode: EpisodeResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  progress: (episode, { profileId }, { loaders }) => loaders.episodeProgress.load({ profileId, id: episode.id }),
};
