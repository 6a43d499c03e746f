import { assertRange } from '@streaming/shared';
import type { ProfileResolvers } from '../__generated__/resolvers-types';

export const MAX_ROWS = 50;
export const MAX_ITEMS_PER_ROW = 100;

export const Profile: ProfileResolvers = {
  homeRows: (profile, { first, itemsPerRow }, { recommendations }) => {
    assertRange('first', first, MAX_ROWS);
    assertRange('itemsPerRow', itemsPerRow, MAX_ITEMS_PER_ROW);
    return recommendations.homeRows(profile, first, itemsPerRow);
  },
};
