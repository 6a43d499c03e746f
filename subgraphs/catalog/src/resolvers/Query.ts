import { assertRange, badUserInput } from '@streaming/platform';
import type { QueryResolvers } from '../__generated__/resolvers-types';

export const TITLES_MAX_IDS = 100;
/** The most `popularTitles` and `newReleases` return. */
export const RANKED_MAX = 100;

export const Query: QueryResolvers = {
  title: (_parent, { id }, { loaders }) => loaders.titleById.load(id),
  titles: (_parent, { ids }, { loaders }) => {
    // The gateway's cost estimate assumes at most this many (@listSize on the field).
    if (ids.length > TITLES_MAX_IDS) throw badUserInput(`ids must hold at most ${TITLES_MAX_IDS} ids, got ${ids.length}`, 'ids');
    return loaders.titleById.loadMany(ids).then((rows) => rows.map((r) => (r instanceof Error ? null : r)));
  },
  genres: (_parent, _args, { catalog }) => catalog.genres(),
  popularTitles: (_parent, { maxMaturityRating, first }, { catalog }) => catalog.ranked('popular', maxMaturityRating, assertRange('first', first, RANKED_MAX)),
  newReleases: (_parent, { maxMaturityRating, first }, { catalog }) => catalog.ranked('newest', maxMaturityRating, assertRange('first', first, RANKED_MAX)),
};
