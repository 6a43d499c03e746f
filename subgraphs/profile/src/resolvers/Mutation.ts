import { requireViewer } from '@streaming/platform';
import type { MutationResolvers } from '../__generated__/resolvers-types';
import type { ProfileContext } from '../context';
import type { IssuedSession } from '../services/SessionService';

async function withAccount(session: IssuedSession, { loaders }: ProfileContext) {
  const account = await loaders.accountById.load(session.accountId);
  if (!account) throw new Error(`account ${session.accountId} vanished while signing in`);
  return { ...session, account };
}

export const Mutation: MutationResolvers = {
  signIn: async (_parent, { email, password }, context) => withAccount(await context.sessions.signIn(email, password, context.clientAddress), context),
  refreshSession: async (_parent, { refreshToken }, context) => withAccount(await context.sessions.refresh(refreshToken), context),
  signOut: (_parent, _args, { sessions, viewer }) => sessions.signOut(requireViewer(viewer, 'your sign-in (there is nothing to sign out of)')),
  addToMyList: (_parent, { profileId, titleId }, { profiles, viewer }) => profiles.addToMyList(requireViewer(viewer, 'My List'), profileId, titleId),
  removeFromMyList: (_parent, { profileId, titleId }, { profiles, viewer }) => profiles.removeFromMyList(requireViewer(viewer, 'My List'), profileId, titleId),
  createProfile: (_parent, { input }, { profiles, viewer }) => profiles.createProfile(requireViewer(viewer, 'profiles'), input),
  updateProfile: (_parent, { id, input }, { profiles, viewer, clientAddress }) => profiles.updateProfile(requireViewer(viewer, 'profiles'), id, input, clientAddress),
  deleteProfile: (_parent, { id }, { profiles, viewer }) => profiles.deleteProfile(requireViewer(viewer, 'profiles'), id),
};
