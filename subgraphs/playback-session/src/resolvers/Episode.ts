import type { EpisodeResolvers } from '../__generated__/resolvers-types';

export const Episode: EpisodeResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  progress: async (episode, { profileId }, { loaders, ownsProfile }) =>
    (await ownsProfile.load(profileId)) ? loaders.episodeProgress.load({ profileId, id: episode.id }) : null,
};
