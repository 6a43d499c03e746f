import type { QueryResolvers } from '../__generated__/resolvers-types';

export const Query: QueryResolvers = {
  account: (_parent, { id }, { loaders }) => loaders.accountById.load(id),
  profile: (_parent, { id }, { loaders }) => loaders.profileById.load(id),
};
