import { assertRange } from '@streaming/platform';
import type { ProfileResolvers } from '../__generated__/resolvers-types';

export const CONTINUE_WATCHING_MAX = 100;

// The gateway only asks about profiles the profile subgraph returned to this viewer; a direct
// call about someone else's profile gets what a profile without sessions or progress gets.
export const Profile: ProfileResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  activeSessions: async (profile, _args, { playback, ownsProfile, viewer }) =>
    // ownsProfile first: it is what answers an anonymous caller UNAUTHENTICATED.
    (await ownsProfile.load(profile.id)) && viewer ? playback.activeSessions(viewer, profile.id) : [],
  continueWatching: async (profile, { first }, { loaders, ownsProfile }) => {
    assertRange('first', first, CONTINUE_WATCHING_MAX);
    if (!(await ownsProfile.load(profile.id))) return [];
    return (await loaders.continueWatching.load(profile.id)).slice(0, first);
  },
};
