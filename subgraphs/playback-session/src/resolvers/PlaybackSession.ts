import { requireViewer } from '@streaming/platform';
import type { PlaybackSessionResolvers } from '../__generated__/resolvers-types';

export const PlaybackSession: PlaybackSessionResolvers = {
  __resolveReference: (reference, { playback, viewer }) => playback.get(requireViewer(viewer, 'playback sessions'), reference.id),
  profile: (session) => ({ id: session.profileId }),
  title: (session) => ({ id: session.titleId }),
  episode: (session) => (session.episodeId ? { id: session.episodeId } : null),
};
