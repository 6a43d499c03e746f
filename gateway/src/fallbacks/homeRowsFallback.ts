import type { GraphQLDataSource } from '@apollo/gateway';
import { isAllowed, MATURITY_ORDER, type Maturity } from '@streaming/platform';
import { Kind, parse, type DocumentNode, type FieldNode, type SelectionSetNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { emptyEntity, entityFields, responseKey, type NeverSeenFallback } from './neverSeen';

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
 * The home rows of a profile that recommendation has never answered for while it is down (no last
 * good rows to replay): non-personalised rows built from what is still reachable. The catalog
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
    const fields = representation.__typename === 'Profile' ? entityFields(document, 'Profile').filter((f) => f.name.value === 'homeRows') : [];
    const source = catalog();
    if (fields.length === 0 || !source) return entity;
    // A representation without a rating (it always has one: @requires) gets the most restricted.
    const rating = MATURITY_ORDER.find((r) => r === representation.maturityRating) ?? 'ALL';
    const myList = ((representation.myList as { id: string }[] | undefined) ?? []).map((t) => t.id).slice(0, MAX_ITEMS);
    const variables = options.request.variables ?? {};
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

/** An Int argument as the fetch passes it: a literal, a variable, or absent (the schema's default). */
function intArgument(field: FieldNode, name: string, variables: Record<string, unknown>, fallback: number): number {
  const value = field.arguments?.find((a) => a.name.value === name)?.value;
  if (value?.kind === Kind.INT) return Number(value.value);
  if (value?.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    return typeof given === 'number' ? given : fallback;
  }
  return fallback;
}

/** A row in the shape the fetch asked for: its fields by response key, its items as Title references. */
function projectRow(row: Row, selectionSet: SelectionSetNode | undefined): Record<string, unknown> {
  const values: Record<string, unknown> = { __typename: 'HomeRow', id: row.id, kind: row.kind, title: row.title };
  const out: Record<string, unknown> = {};
  for (const field of fieldsOf(selectionSet)) {
    const key = responseKey(field);
    if (field.name.value === 'items') out[key] = row.itemIds.map((id) => projectTitle(id, field.selectionSet));
    else out[key] = values[field.name.value] ?? null;
  }
  return out;
}

/** A title known only by id: the planner asks the catalog for the rest. */
function projectTitle(id: string, selectionSet: SelectionSetNode | undefined): Record<string, unknown> {
  const values: Record<string, unknown> = { __typename: 'Title', id };
  return Object.fromEntries(fieldsOf(selectionSet).map((field) => [responseKey(field), values[field.name.value] ?? null]));
}

function fieldsOf(selectionSet: SelectionSetNode | undefined): FieldNode[] {
  return (selectionSet?.selections ?? []).filter((s): s is FieldNode => s.kind === Kind.FIELD);
}
