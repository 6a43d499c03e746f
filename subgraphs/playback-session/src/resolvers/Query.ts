import type { QueryResolvers } from '../__generated__/resolvers-types';

export const Query: QueryResolvers = {
  playbackSession: (_parent, { id }, { playback }) => playback.get(id),
};
