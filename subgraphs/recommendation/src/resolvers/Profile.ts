import { assertRange } from '@streaming/platform';
import type { ProfileResolvers } from '../__generated__/resolvers-types';

export const MAX_ROWS = 50;
export const MAX_ITEMS_PER_ROW = 100;

export const Profile: ProfileResolvers = {
  // The gateway only asks about the viewer's profiles; a direct call about another account's
  // profile gets no rows (its activity and list are its own).
  homeRows: (profile, { first, itemsPerRow }, { recommendations }) => {
    assertRange('first', first, MAX_ROWS);
    assertRange('itemsPerRow', itemsPerRow, MAX_ITEMS_PER_ROW);
    return recommendations.homeRows(profile, first, itemsPerRow);
  },
};
