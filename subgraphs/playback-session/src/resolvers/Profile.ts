import { assertRange } from '@streaming/shared';
import type { ProfileResolvers } from '../__generated__/resolvers-types';

export const CONTINUE_WATCHING_MAX = 100;

export const Profile: ProfileResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  activeSessions: (profile, _args, { playback }) => playback.activeSessions(profile.id),
  continueWatching: async (profile, { first }, { loaders }) => {
    assertRange('first', first, CONTINUE_WATCHING_MAX);
    return (await loaders.continueWatching.load(profile.id)).slice(0, first);
  },
};
