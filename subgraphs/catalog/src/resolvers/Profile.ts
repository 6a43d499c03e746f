import { allowedRatings, assertRange, badUserInput, requireViewer, type Maturity } from '@streaming/shared';
import type { ProfileResolvers } from '../__generated__/resolvers-types';

export const SEARCH_MAX_RESULTS = 100;

export const Profile: ProfileResolvers = {
  // Search belongs to a profile, so it needs a viewer. Whose profile it is, the profile subgraph
  // has already decided (the gateway only gets here for the viewer's own); what search returns
  // is public catalog data filtered by the rating it is given, nothing of the profile's.
  search: async (profile, { query, first }, { repos, loaders, viewer }) => {
    requireViewer(viewer, 'search');
    assertRange('first', first, SEARCH_MAX_RESULTS);
    const text = query.trim();
    if (text.length === 0) throw badUserInput('query must not be empty', 'query');
    if (text.length > 100) throw badUserInput(`query must be at most 100 characters, got ${text.length}`, 'query');
    // The gateway always supplies maturityRating (@requires); if a caller skips it, show only
    // what every profile may see rather than everything.
    const rating: Maturity = profile.maturityRating ?? 'ALL';
    const titles = first === 0 ? [] : await repos.titles.search(text, allowedRatings(rating), first);
    // The full records came back with the search; later fields on them need not hit the store.
    for (const title of titles) loaders.titleById.prime(title.id, title);
    return titles;
  },
};
