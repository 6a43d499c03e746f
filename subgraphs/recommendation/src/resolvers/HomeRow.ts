import type { HomeRowResolvers } from '../__generated__/resolvers-types';

export const HomeRow: HomeRowResolvers = {
  items: async (row, { first, after }, { recommendations }) => (await recommendations.rowItems(row, { first, after })).map((id) => ({ id })),
  cursor: (row, _args, { recommendations }) => recommendations.rowCursor(row),
  hasMoreRows: (row, _args, { recommendations }) => recommendations.hasMoreRows(row),
  itemsPageInfo: (row, _args, { recommendations }) => recommendations.rowItemsPageInfo(row),
};
