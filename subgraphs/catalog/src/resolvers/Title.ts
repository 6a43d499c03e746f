import type { TitleResolvers } from '../__generated__/resolvers-types';
import type { GenreRecord } from '../domain';

export const Title: TitleResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.titleById.load(reference.id),
  genres: async (title, _args, { loaders }) => {
    const genres = await loaders.genreById.loadMany(title.genreIds);
    return genres.filter((g): g is GenreRecord => g !== null && !(g instanceof Error));
  },
  artwork: (title, { type }) => title.artwork.find((a) => a.type === type) ?? null,
  seasons: (title, _args, { loaders }) => (title.kind === 'SERIES' ? loaders.seasonsByTitleId.load(title.id) : []),
};
