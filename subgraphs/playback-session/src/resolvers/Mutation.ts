import type { MutationResolvers } from '../__generated__/resolvers-types';

export const Mutation: MutationResolvers = {
  startPlayback: (_parent, { input }, { playback }) => playback.start(input),
  heartbeat: (_parent, { input }, { playback }) => playback.heartbeat(input.sessionId, input.positionSeconds, input.bitrateKbps),
  stopPlayback: (_parent, { sessionId, positionSeconds }, { playback }) => playback.stop(sessionId, positionSeconds),
};
