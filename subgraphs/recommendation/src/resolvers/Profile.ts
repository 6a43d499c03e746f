import { assertRange } from '@streaming/shared';
import type { ProfileResolvers } from '../__generated__/resolvers-types';
import { buildHomeRows } from '../ranking/buildHomeRows';

export const MAX_ROWS = 50;
export const MAX_ITEMS_PER_ROW = 100;

export const Profile: ProfileResolvers = {
  // The gateway only asks about the viewer's profiles; a direct call about another account's
  // profile gets no rows (its activity and list are its own).
  homeRows: async (profile, { first, itemsPerRow }, { loaders, pool, ownsProfile }) => {
    assertRange('first', first, MAX_ROWS);
    assertRange('itemsPerRow', itemsPerRow, MAX_ITEMS_PER_ROW);
    if (!(await ownsProfile.load(profile.id))) return [];
    if (first === 0) return [];
    const [shared, activity] = await Promise.all([pool.get(), loaders.activityByProfileId.load(profile.id)]);
    return buildHomeRows(shared, {
      profileId: profile.id,
      // The gateway always supplies these (@requires); without them, the safest reading.
      maturityRating: profile.maturityRating ?? 'ALL',
      country: profile.account?.country,
      myListIds: (profile.myList ?? []).map((t) => t.id),
      activity,
      rows: first,
      itemsPerRow,
    });
  },
};
