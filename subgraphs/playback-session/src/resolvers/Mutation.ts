import { requireViewer } from '@streaming/platform';
import type { MutationResolvers } from '../__generated__/resolvers-types';

export const Mutation: MutationResolvers = {
  startPlayback: (_parent, { input }, { playback, viewer, requestId }) => playback.start(requireViewer(viewer, 'playback'), input, requestId),
  heartbeat: (_parent, { input }, { playback, viewer, requestId }) =>
    playback.heartbeat(requireViewer(viewer, 'playback'), input.sessionId, input.positionSeconds, input.bitrateKbps, requestId),
  stopPlayback: (_parent, { sessionId, positionSeconds }, { playback, viewer }) =>
    playback.stop(requireViewer(viewer, 'playback'), sessionId, positionSeconds),
};
