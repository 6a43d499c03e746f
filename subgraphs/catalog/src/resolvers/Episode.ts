import type { EpisodeResolvers } from '../__generated__/resolvers-types';
import { notFound } from '@streaming/platform';

export const Episode: EpisodeResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.episodeById.load(reference.id),
  title: async (episode, _args, { loaders }) => {
    const title = await loaders.titleById.load(episode.titleId);
    if (!title) throw notFound(`title ${episode.titleId} of episode ${episode.id} does not exist`);
    return title;
  },
};
