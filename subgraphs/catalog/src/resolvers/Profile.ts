import { assertRange, badUserInput, requireViewer } from '@streaming/platform';
import type { ProfileResolvers } from '../__generated__/resolvers-types';

export const SEARCH_MAX_RESULTS = 100;
const QUERY_MAX_LENGTH = 100;

export const Profile: ProfileResolvers = {
  // Search belongs to a profile, so it needs a viewer. Whose profile it is, the profile subgraph
  // has already decided (the gateway only gets here for the viewer's own); what search returns
  // is public catalog data filtered by the rating it is given, nothing of the profile's.
  search: (profile, { query, first }, { catalog, viewer }) => {
    requireViewer(viewer, 'search');
    assertRange('first', first, SEARCH_MAX_RESULTS);
    const text = query.trim();
    if (text.length === 0) throw badUserInput('query must not be empty', 'query');
    if (text.length > QUERY_MAX_LENGTH) throw badUserInput(`query must be at most ${QUERY_MAX_LENGTH} characters, got ${text.length}`, 'query');
    return catalog.search(profile, text, first);
  },
};
