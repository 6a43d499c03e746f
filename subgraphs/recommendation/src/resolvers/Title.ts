import { assertRange, isAllowed } from '@streaming/shared';
import type { TitleResolvers } from '../__generated__/resolvers-types';

export const MAX_SIMILAR = 50;

export const Title: TitleResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  similar: async (title, { first, profileId }, { loaders, pool }) => {
    assertRange('first', first, MAX_SIMILAR);
    if (first === 0) return [];
    const [ids, shared, rating] = await Promise.all([
      loaders.similarByTitleId.load(title.id),
      pool.get(),
      profileId ? loaders.maturityByProfileId.load(profileId) : Promise.resolve(undefined),
    ]);
    // Another account's profile and an unknown one look the same: null.
    if (rating === null) return null;
    const limit = rating;
    return ids
      .filter((id) => id !== title.id)
      .filter((id) => {
        const feature = shared.features.get(id);
        return feature !== undefined && (limit === undefined || isAllowed(feature.maturityRating, limit));
      })
      .slice(0, first)
      .map((id) => ({ id }));
  },
};
