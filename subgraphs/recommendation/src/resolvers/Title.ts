import { assertRange } from '@streaming/platform';
import type { GraphQLResolveInfo } from 'graphql';
import type { TitleResolvers } from '../__generated__/resolvers-types';

export const MAX_SIMILAR = 50;

/** What Apollo Server's cache-control plugin puts on a field's resolve info. */
type WithCacheControl = GraphQLResolveInfo & { cacheControl?: { setCacheHint(hint: { maxAge: number; scope: 'PRIVATE' }): void } };

export const Title: TitleResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  similar: (title, { first, profileId }, { recommendations }, info) => {
    assertRange('first', first, MAX_SIMILAR);
    // Filtered for one viewer's profile: no cache may keep it (without one it is public, as Title's hint says).
    if (profileId) (info as WithCacheControl).cacheControl?.setCacheHint({ maxAge: 0, scope: 'PRIVATE' });
    return recommendations.similar(title.id, first, profileId);
  },
};
