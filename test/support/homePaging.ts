import type { GraphQLResponse } from '@streaming/testing';

/** Runs a committed operation by name (a TestSupergraph's or a TestGateway's `run`). */
export type RunOperation = (operationName: string, variables: Record<string, unknown>) => Promise<GraphQLResponse>;

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string;
}

export interface PagedRow {
  id: string;
  kind: string;
  title: string;
  cursor: string;
  hasMoreRows: boolean;
  items: { id: string; maturityRating: string }[];
  itemsPageInfo: PageInfo;
}

/** A row as a client ends up holding it after scrolling it to its end. */
export interface ScrolledRow {
  id: string;
  kind: string;
  itemIds: string[];
}

function dataOf(res: GraphQLResponse, what: string): Record<string, any> {
  if (res.errors?.length || !res.data) throw new Error(`${what}: ${JSON.stringify(res.errors ?? res.data).slice(0, 600)}`);
  return res.data;
}

/** HomeScreenMoreRows: the rows after `after` (the first rows when null). */
export async function moreRows(run: RunOperation, profileId: string, after: string | null, rows: number, itemsPerRow: number): Promise<PagedRow[]> {
  return dataOf(await run('HomeScreenMoreRows', { profileId, after, rows, itemsPerRow }), 'HomeScreenMoreRows').profile.homeRows;
}

/** RowMoreItems: a row's titles after `after`. */
export async function moreItems(run: RunOperation, profileId: string, rowId: string, after: string, first: number): Promise<{ items: { id: string }[]; itemsPageInfo: PageInfo }> {
  return dataOf(await run('RowMoreItems', { profileId, rowId, after, first }), 'RowMoreItems').profile.homeRow;
}

/**
 * One visit of a phone that scrolls everything: a page of rows, then each of those rows sideways
 * to its end, then the next page of rows, until the last row. `afterFirstPage` runs once the first
 * page of rows is on screen (to change the world while the visit goes on).
 */
export async function scrollWholeVisit(
  run: RunOperation,
  profileId: string,
  sizes: { rows: number; itemsPerRow: number; itemsPage: number },
  afterFirstPage: () => Promise<void> = async () => undefined,
): Promise<ScrolledRow[]> {
  const scrolled: ScrolledRow[] = [];
  let after: string | null = null;
  for (let page = 0; ; page += 1) {
    const rows = await moreRows(run, profileId, after, sizes.rows, sizes.itemsPerRow);
    if (page === 0) await afterFirstPage();
    for (const row of rows) {
      const itemIds = row.items.map((i) => i.id);
      let info = row.itemsPageInfo;
      while (info.hasNextPage) {
        const more = await moreItems(run, profileId, row.id, info.endCursor, sizes.itemsPage);
        if (more.items.length === 0) throw new Error(`row ${row.id}: hasNextPage but an empty page`);
        itemIds.push(...more.items.map((i) => i.id));
        info = more.itemsPageInfo;
      }
      scrolled.push({ id: row.id, kind: row.kind, itemIds });
    }
    const last = rows.at(-1);
    if (!last || !last.hasMoreRows) return scrolled;
    after = last.cursor;
    if (page > 100) throw new Error('more than 100 pages of rows');
  }
}
