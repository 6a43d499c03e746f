import type { ViewingProgressResolvers } from '../__generated__/resolvers-types';

export const ViewingProgress: ViewingProgressResolvers = {
  title: (progress) => ({ id: progress.titleId }),
  episode: (progress) => (progress.episodeId ? { id: progress.episodeId } : null),
};
