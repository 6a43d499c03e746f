import { assertRange } from '@streaming/platform';
import type { ProfileResolvers } from '../__generated__/resolvers-types';
import { MAX_ITEMS_PER_ROW, MAX_ROWS } from '../domain';
import { itemsArguments } from './itemsArguments';

export const Profile: ProfileResolvers = {
  // The gateway only asks about the viewer's profiles; a direct call about another account's
  // profile gets no rows (its activity and list are its own).
  homeRows: (profile, { first, itemsPerRow, after }, { recommendations }, info) => {
    assertRange('first', first, MAX_ROWS);
    assertRange('itemsPerRow', itemsPerRow, MAX_ITEMS_PER_ROW);
    return recommendations.homeRows(profile, { rows: first, itemsPerRow, after, items: itemsArguments(info) });
  },
  homeRow: (profile, { id }, { recommendations }, info) => recommendations.homeRow(profile, id, itemsArguments(info)),
};
