import { assertRange } from '@streaming/platform';
import type { TitleResolvers } from '../__generated__/resolvers-types';

export const MAX_SIMILAR = 50;

export const Title: TitleResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  similar: (title, { first, profileId }, { recommendations }) => {
    assertRange('first', first, MAX_SIMILAR);
    return recommendations.similar(title.id, first, profileId);
  },
};
