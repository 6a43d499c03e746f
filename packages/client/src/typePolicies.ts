import type { FieldPolicy, Reference, TypePolicies } from '@apollo/client/core';

/**
 * Appends a page (`after` set) to what the cache holds, or replaces it with a first page. An item
 * already held is not repeated: a page that overlaps one already merged (a retried fetchMore)
 * doesn't show a tile twice.
 */
function appendPages(): FieldPolicy<Reference[]> {
  return {
    merge(existing, incoming, { args, readField }) {
      if (!args?.after || !existing) return incoming;
      const held = new Set(existing.map((ref) => readField<string>('id', ref)));
      return [...existing, ...incoming.filter((ref) => !held.has(readField<string>('id', ref)))];
    },
  };
}

/**
 * Apollo Client's normalized cache for this API. Titles, profiles, accounts, playback sessions
 * and home rows are stored once each under their key (`Title:<id>`, ...), so a title shown in
 * three rows and on its details page is one record: what one operation learns about it (its
 * progress after playback, say) every screen showing it sees. Home rows' ids are unique per
 * profile and row (the schema says so), which makes them safe keys too.
 *
 * Paging: `Profile.homeRows` (HomeScreenMoreRows with `after`) and `HomeRow.items` (RowMoreItems)
 * append pages to the list already held, so `fetchMore` grows the rows and a row's tiles; the
 * first page (no `after`) replaces it.
 */
export const typePolicies: TypePolicies = {
  Title: { keyFields: ['id'] },
  Episode: { keyFields: ['id'] },
  Genre: { keyFields: ['id'] },
  Account: { keyFields: ['id'] },
  PlaybackSession: { keyFields: ['id'] },
  Profile: {
    keyFields: ['id'],
    fields: {
      // The page size (first) and the cursor (after) are paging, not a different list.
      homeRows: { keyArgs: ['itemsPerRow'], ...appendPages() },
    },
  },
  HomeRow: {
    keyFields: ['id'],
    fields: {
      items: { keyArgs: false, ...appendPages() },
    },
  },
};
