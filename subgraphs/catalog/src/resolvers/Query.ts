import type { QueryResolvers } from '../__generated__/resolvers-types';

export const Query: QueryResolvers = {
  title: (_parent, { id }, { loaders }) => loaders.titleById.load(id),
  titles: (_parent, { ids }, { loaders }) => loaders.titleById.loadMany(ids).then((rows) => rows.map((r) => (r instanceof Error ? null : r))),
  genres: (_parent, _args, { catalog }) => catalog.genres(),
};
