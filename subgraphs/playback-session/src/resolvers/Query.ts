import { requireViewer } from '@streaming/platform';
import type { QueryResolvers } from '../__generated__/resolvers-types';

export const Query: QueryResolvers = {
  playbackSession: (_parent, { id }, { playback, viewer }) => playback.get(requireViewer(viewer, 'playback sessions'), id),
};
