import type { GenreResolvers } from '../__generated__/resolvers-types';

export const Genre: GenreResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.genreById.load(reference.id),
};
