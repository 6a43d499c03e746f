import type { GraphQLDataSource } from '@apollo/gateway';
import { isAllowed, MATURITY_ORDER, type Maturity } from '@streaming/platform/core';
import { Kind, parse, valueFromASTUntyped, type DocumentNode, type FieldNode, type SelectionSetNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { emptyEntity, entityFields, responseKey, type NeverSeenFallback } from './neverSeen';
import { responseObject } from '../responseObject';

/** What the catalog, still reachable when recommendation is not, can say about any profile of a rating. */
const RANKED = `query HomeRowsFallback($rating: MaturityRating!, $n: Int!) {
  popularTitles(maxMaturityRating: $rating, first: $n) { id }
  newReleases(maxMaturityRating: $rating, first: $n) { id }
}`;
/** ... and about this profile's own list: its titles' ratings. */
const MY_LIST = `query HomeRowsFallbackMyList($ids: [ID!]!) { titles(ids: $ids) { id maturityRating } }`;
const DOCUMENTS: Record<string, DocumentNode> = { [RANKED]: parse(RANKED), [MY_LIST]: parse(MY_LIST) };

interface Ranked {
  popularTitles: { id: string }[];
  newReleases: { id: string }[];
}

/**
 * The ranked lists are the same for every profile of a rating, and during an outage every home
 * screen of a profile never seen asks for them: kept briefly, the catalog answers once per rating
 * and size every few seconds, not once per screen (concurrent asks share one fetch).
 */
const RANKED_TTL_MS = 10_000;

interface Row {
  id: string;
  kind: string;
  title: string;
  itemIds: string[];
}

/** The catalog's caps (popularTitles, newReleases, titles) and recommendation's (homeRows). */
const MAX_ITEMS = 100;
const MAX_ROWS = 50;

/**
 * What a fallback row gives as its cursors. Fallback rows are a whole screen in themselves (their
 * `hasMoreRows` and `hasNextPage` are false), so a client has no reason to send this back; one
 * that does gets the end of the list while recommendation is down, and BAD_USER_INPUT once it is
 * back (it names no visit of recommendation's).
 */
export const FALLBACK_CURSOR = 'fallback';

/**
 * The home rows of a profile that recommendation has never answered for while it is down (no last
 * good rows to replay): non-personalised rows built from what is still reachable, a whole screen
 * in themselves (nothing more down or across; a page after a cursor is empty, see below). The catalog
 * gives the most popular titles and the newest, at or below the profile's maturity rating (the
 * catalog filters them), and the profile's own My List (its ids come with the representation;
 * their ratings from the catalog, and a title above the profile's rating is left out). A kids
 * profile sees nothing in the fallback it would not see normally.
 *
 * If the catalog is down too, the rows are empty: the rest of the profile still renders.
 */
export function homeRowsFallback(catalog: () => GraphQLDataSource | undefined): NeverSeenFallback {
  const rankedLists = new LRUCache<string, Promise<Ranked>>({ max: 100, ttl: RANKED_TTL_MS });
  return async (input) => {
    const { representation, document, options } = input;
    const entity = (await emptyEntity(input)) as Record<string, unknown>;
    const profileFields = representation.__typename === 'Profile' ? entityFields(document, 'Profile') : [];
    const variables = options.request.variables ?? {};
    // Paging on (a page after a cursor, more of one row's titles) while recommendation is down:
    // the end of the list, at once. The visit the cursor names is recommendation's, and rows made
    // up here could repeat what the phone already shows; the next visit gets full rows again.
    for (const field of profileFields.filter((f) => f.name.value === 'homeRow')) {
      const id = argumentValue(field, 'id', variables);
      entity[responseKey(field)] = typeof id === 'string' ? projectEndOfRow(id, field.selectionSet, variables) : null;
    }
    const fields = profileFields.filter((f) => f.name.value === 'homeRows' && argumentValue(f, 'after', variables) == null);
    const source = catalog();
    if (fields.length === 0 || !source) return entity;
    // A representation without a rating (it always has one: @requires) gets the most restricted.
    const rating = MATURITY_ORDER.find((r) => r === representation.maturityRating) ?? 'ALL';
    const myList = ((representation.myList as { id: string }[] | undefined) ?? []).map((t) => t.id).slice(0, MAX_ITEMS);
    const shapes = fields.map((field) => ({
      field,
      first: clamp(intArgument(field, 'first', variables, 10), MAX_ROWS),
      itemsPerRow: clamp(intArgument(field, 'itemsPerRow', variables, 20), MAX_ITEMS),
    }));
    const n = Math.max(...shapes.map((shape) => shape.itemsPerRow));
    // On the fetch's behalf (its context: the viewer's credential, injected faults).
    const ask = async <T>(query: string, queryVariables: Record<string, unknown>): Promise<T> => {
      const response = await source.process({ ...options, document: DOCUMENTS[query], request: { query, variables: queryVariables } } as typeof options);
      if (!response.data || response.errors?.length) throw new Error('the catalog did not answer the fallback');
      return response.data as T;
    };
    const key = `${rating}:${n}`;
    let ranked = rankedLists.get(key);
    if (!ranked) {
      rankedLists.set(key, (ranked = ask<Ranked>(RANKED, { rating, n })));
      ranked.catch(() => rankedLists.delete(key));
    }
    let lists: Ranked;
    let listed: { titles: ({ id: string; maturityRating: Maturity } | null)[] };
    try {
      [lists, listed] = await Promise.all([ranked, myList.length ? ask<typeof listed>(MY_LIST, { ids: myList }) : { titles: [] }]);
    } catch {
      return entity;
    }
    const profileId = String(representation.id);
    const allowedListIds = listed.titles.filter((t) => t !== null && isAllowed(t.maturityRating, rating)).map((t) => t!.id);
    for (const { field, first, itemsPerRow } of shapes) {
      const rows: Row[] = [
        { id: `${profileId}:my-list`, kind: 'MY_LIST', title: 'My List', itemIds: allowedListIds },
        { id: `${profileId}:popular`, kind: 'TRENDING', title: 'Popular', itemIds: lists.popularTitles.map((t) => t.id) },
        { id: `${profileId}:new-releases`, kind: 'NEW_RELEASES', title: 'New Releases', itemIds: lists.newReleases.map((t) => t.id) },
      ]
        .map((row) => ({ ...row, itemIds: row.itemIds.slice(0, itemsPerRow) }))
        // Empty rows are left out, as recommendation leaves them out.
        .filter((row) => row.itemIds.length > 0 || itemsPerRow === 0)
        .slice(0, first);
      entity[responseKey(field)] = rows.map((row) => projectRow(row, field.selectionSet));
    }
    return entity;
  };
}

function clamp(value: number, max: number): number {
  return Math.max(0, Math.min(value, max));
}

/** An argument's value as the fetch passes it (a literal or a variable); undefined when absent. */
function argumentValue(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const value = field.arguments?.find((a) => a.name.value === name)?.value;
  return value && valueFromASTUntyped(value, variables);
}

/** An Int argument, or `fallback` (the schema's default) when absent or null. */
function intArgument(field: FieldNode, name: string, variables: Record<string, unknown>, fallback: number): number {
  const value = argumentValue(field, name, variables);
  return typeof value === 'number' ? value : fallback;
}

/** A row in the shape the fetch asked for: its fields by response key, its items as Title references. */
function projectRow(row: Row, selectionSet: SelectionSetNode | undefined): Record<string, unknown> {
  const values = { __typename: 'HomeRow', id: row.id, kind: row.kind, title: row.title, cursor: FALLBACK_CURSOR, hasMoreRows: false };
  return projectHomeRow(values, (items) => row.itemIds.map((id) => projectTitle(id, items.selectionSet)), FALLBACK_CURSOR, selectionSet);
}

/**
 * `homeRow(id:)` while recommendation is down: the row, with no more titles. What only
 * recommendation knows (its kind and heading) is null: a client paging a row asks for neither.
 */
function projectEndOfRow(id: string, selectionSet: SelectionSetNode | undefined, variables: Record<string, unknown>): Record<string, unknown> {
  const after = fieldsOf(selectionSet).filter((f) => f.name.value === 'items').map((f) => argumentValue(f, 'after', variables)).find((a) => typeof a === 'string');
  const values = { __typename: 'HomeRow', id, cursor: FALLBACK_CURSOR, hasMoreRows: false };
  return projectHomeRow(values, () => [], typeof after === 'string' ? after : FALLBACK_CURSOR, selectionSet);
}

/** A HomeRow's selection over its scalar values, its items and the end of its items' list. */
function projectHomeRow(
  values: Record<string, unknown>,
  items: (field: FieldNode) => unknown[],
  endCursor: string,
  selectionSet: SelectionSetNode | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = responseObject();
  for (const field of fieldsOf(selectionSet)) {
    const key = responseKey(field);
    if (field.name.value === 'items') out[key] = items(field);
    else if (field.name.value === 'itemsPageInfo') out[key] = projectPageInfo(endCursor, field.selectionSet);
    else out[key] = values[field.name.value] ?? null;
  }
  return out;
}

/** The end of a list: nothing follows; continuing from `endCursor` gives nothing either. */
function projectPageInfo(endCursor: string, selectionSet: SelectionSetNode | undefined): Record<string, unknown> {
  const values: Record<string, unknown> = { __typename: 'PageInfo', hasNextPage: false, endCursor };
  return Object.fromEntries(fieldsOf(selectionSet).map((field) => [responseKey(field), values[field.name.value] ?? null]));
}

/** A title known only by id: the planner asks the catalog for the rest. */
function projectTitle(id: string, selectionSet: SelectionSetNode | undefined): Record<string, unknown> {
  const values: Record<string, unknown> = { __typename: 'Title', id };
  return Object.fromEntries(fieldsOf(selectionSet).map((field) => [responseKey(field), values[field.name.value] ?? null]));
}

function fieldsOf(selectionSet: SelectionSetNode | undefined): FieldNode[] {
  return (selectionSet?.selections ?? []).filter((s): s is FieldNode => s.kind === Kind.FIELD);
}
