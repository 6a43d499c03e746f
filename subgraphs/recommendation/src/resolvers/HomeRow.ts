import type { HomeRowResolvers } from '../__generated__/resolvers-types';

export const HomeRow: HomeRowResolvers = {
  items: (row) => row.itemIds.map((id) => ({ id })),
};
