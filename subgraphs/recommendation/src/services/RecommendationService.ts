import type DataLoader from 'dataloader';
import { assertRange, badUserInput, isAllowed, requireViewer, type Viewer } from '@streaming/platform';
import type { MaturityRating } from '../__generated__/resolvers-types';
import type { RankingPoolCache } from '../caches/RankingPoolCache';
import { DEFAULT_ROW_PAGE, MAX_ITEMS_PER_ROW, type HomeRowRecord, type ProfileRepresentation, type TitleReference } from '../domain';
import type { RecommendationLoaders } from '../loaders/createLoaders';
import type { CursorOwner, HomeCursor } from '../paging/HomeCursors';
import { HomeVisit, type ItemsArgs, type ServedRow, type VisitDeps } from '../paging/HomeVisit';
import { hasRowsAfter, rowsAfter, serialiseVisit, VISIT_MAX_ROWS, type VisitSnapshot } from '../paging/visitSnapshot';
import { buildHomeRows, type HomeRowsInput } from '../ranking/buildHomeRows';
import type { Pool } from '../ranking/pool';

export interface HomeRowsArgs {
  rows: number;
  itemsPerRow: number;
  /** A row's cursor: the rows after it, from its visit. */
  after?: string | null;
  /** `items`' arguments under this field (see ServedRow.itemsArgs). */
  items: ItemsArgs;
}

/** A page of a row's titles: which, from where, and in which visit. */
interface ItemsPage {
  ids: string[];
  start: number;
  visit: HomeVisit;
}

interface Ranking {
  pool: Pool;
  input: Omit<HomeRowsInput, 'rows' | 'itemsPerRow'>;
}

/**
 * The ranking rules a request applies, over the shared pool (process-wide) and this request's
 * loaders: built once per request by the context, so resolvers only check arguments and map.
 *
 * Home rows page both ways within a visit (see paging/HomeVisit): the first page is ranked now;
 * later pages are cut from the visit's snapshot, which a cursor names, so nothing moves under a
 * scrolling phone however playback re-ranks meanwhile.
 */
export class RecommendationService {
  /** Visits resumed in this request, by profile and visit id: a page's rows and their titles share one read. */
  private readonly resumed = new Map<string, Promise<HomeVisit>>();
  private readonly pages = new WeakMap<ServedRow, Map<string, Promise<ItemsPage>>>();

  constructor(
    private readonly pool: RankingPoolCache,
    private readonly loaders: RecommendationLoaders,
    /** Profile id -> whether it is one of the viewer's profiles (UNAUTHENTICATED when anonymous). */
    private readonly ownsProfile: DataLoader<string, boolean>,
    private readonly paging: VisitDeps,
    private readonly viewer: Viewer | null,
  ) {}

  async homeRows(profile: ProfileRepresentation, args: HomeRowsArgs): Promise<ServedRow[]> {
    // The gateway only asks about the viewer's profiles; a direct call about another account's
    // profile gets no rows (its activity and list are its own).
    if (!(await this.ownsProfile.load(profile.id))) return [];
    const serve = (visit: HomeVisit, row: HomeRowRecord): ServedRow => ({
      ...row, itemIds: row.itemIds.slice(0, args.itemsPerRow), visit, profile,
      itemsPerRow: args.itemsPerRow, defaultFirst: args.itemsPerRow, itemsArgs: args.items,
    });
    if (args.after != null) {
      const cursor = this.paging.cursors.verify(args.after, 'rows', this.ownerOf(profile));
      const visit = await this.resume(profile, cursor);
      return rowsAfter(visit.snapshot, cursor.afterRow, args.rows, args.itemsPerRow).map((i) => serve(visit, visit.snapshot.rows[i]));
    }
    if (args.rows === 0) return [];
    const ranking = await this.rank(profile);
    // The page is ranked exactly as before paging existed; the visit's whole snapshot (of which
    // this page is a prefix) is built only if the query asks for a cursor or what follows.
    const visit = HomeVisit.fresh(this.paging, this.ownerOf(profile), () => snapshotOf(ranking));
    return buildHomeRows(ranking.pool, { ...ranking.input, rows: args.rows, itemsPerRow: args.itemsPerRow }).map((row) => serve(visit, row));
  }

  /** One row by id, from the visit `items(after:)` names, else ranked now; null when not one of the profile's rows. */
  async homeRow(profile: ProfileRepresentation, rowId: string, items: ItemsArgs): Promise<ServedRow | null> {
    if (!(await this.ownsProfile.load(profile.id))) return null;
    if (!rowId.startsWith(`${profile.id}:`)) return null;
    let visit: HomeVisit;
    let cursor: Extract<HomeCursor, { kind: 'items' }> | undefined;
    if (items.after != null) {
      cursor = this.paging.cursors.verify(items.after, 'items', this.ownerOf(profile));
      visit = await this.resume(profile, cursor);
    } else {
      const ranking = await this.rank(profile);
      visit = HomeVisit.fresh(this.paging, this.ownerOf(profile), () => snapshotOf(ranking));
    }
    const index = visit.indexOf(rowId);
    if (index === undefined) return null;
    if (cursor && cursor.row !== index) throw anotherRow();
    const row = visit.snapshot.rows[index];
    return { ...row, itemIds: row.itemIds.slice(0, DEFAULT_ROW_PAGE), visit, profile, itemsPerRow: 1, defaultFirst: DEFAULT_ROW_PAGE, itemsArgs: items };
  }

  /** A row's titles for `items(first:, after:)`. */
  async rowItems(row: ServedRow, args: ItemsArgs): Promise<string[]> {
    return (await this.itemsPage(row, args)).ids;
  }

  /** What `itemsPageInfo` says: about the page `items` gave beside it. */
  async rowItemsPageInfo(row: ServedRow): Promise<{ hasNextPage: boolean; endCursor: string }> {
    const page = await this.itemsPage(row, row.itemsArgs);
    const index = this.indexIn(page.visit, row);
    const end = page.start + page.ids.length;
    return { hasNextPage: end < page.visit.snapshot.rows[index].itemIds.length, endCursor: await page.visit.itemsCursor(index, end) };
  }

  rowCursor(row: ServedRow): Promise<string> {
    return row.visit.rowsCursor(this.indexIn(row.visit, row));
  }

  hasMoreRows(row: ServedRow): boolean {
    return hasRowsAfter(row.visit.snapshot, this.indexIn(row.visit, row), row.itemsPerRow);
  }

  private itemsPage(row: ServedRow, args: ItemsArgs): Promise<ItemsPage> {
    const first = assertRange('first', args.first ?? row.defaultFirst, MAX_ITEMS_PER_ROW);
    let byArgs = this.pages.get(row);
    if (!byArgs) this.pages.set(row, (byArgs = new Map()));
    const key = `${first}\u0000${args.after ?? ''}`;
    let page = byArgs.get(key);
    if (!page) {
      page = this.loadItemsPage(row, first, args.after ?? null);
      byArgs.set(key, page);
    }
    return page;
  }

  private async loadItemsPage(row: ServedRow, first: number, after: string | null): Promise<ItemsPage> {
    if (after === null) {
      // The row's first titles: what the row was served with, unless more are asked for than its default page.
      const ids = first <= row.defaultFirst ? row.itemIds : row.visit.snapshot.rows[this.indexIn(row.visit, row)].itemIds;
      return { ids: ids.slice(0, first), start: 0, visit: row.visit };
    }
    const cursor = this.paging.cursors.verify(after, 'items', this.ownerOf(row.profile));
    const visit = await this.resume(row.profile, cursor);
    if (visit.indexOf(row.id) !== cursor.row) throw anotherRow();
    return { ids: visit.snapshot.rows[cursor.row].itemIds.slice(cursor.afterItems, cursor.afterItems + first), start: cursor.afterItems, visit };
  }

  private indexIn(visit: HomeVisit, row: ServedRow): number {
    const index = visit.indexOf(row.id);
    // A served row always comes from its visit (a page is a prefix of the whole screen).
    if (index === undefined) throw new Error(`row ${row.id} is not in its own visit`);
    return index;
  }

  /** The visit a cursor names, once per request. */
  private resume(profile: ProfileRepresentation, cursor: HomeCursor): Promise<HomeVisit> {
    const key = `${profile.id}\u0000${cursor.visitId}`;
    let visit = this.resumed.get(key);
    if (!visit) {
      visit = this.loadVisit(profile, cursor);
      this.resumed.set(key, visit);
    }
    return visit;
  }

  private async loadVisit(profile: ProfileRepresentation, cursor: HomeCursor): Promise<HomeVisit> {
    const owner = this.ownerOf(profile);
    let snapshot = await this.paging.visits.load(owner, cursor.visitId);
    if (!snapshot) {
      // Lost (evicted, or Redis restarted or unreachable). A visit is named by its content, so
      // if nothing has been re-ranked since, ranking again gives that very visit back.
      const again = snapshotOf(await this.rank(profile));
      const serialised = serialiseVisit(again);
      if (serialised.id !== cursor.visitId) {
        throw badUserInput('after belongs to a home-screen visit that has ended (its rows were ranked again since): start again from the first page, without after', 'after');
      }
      await this.paging.visits.save(owner, serialised);
      snapshot = again;
    }
    // Ranked for another rating: paging on could show a lowered profile what it may no longer see.
    if (snapshot.maturityRating !== ratingOf(profile)) {
      throw badUserInput("after belongs to a home-screen visit ranked for another maturity rating (the profile's rating changed): start again from the first page, without after", 'after');
    }
    return HomeVisit.resumed(this.paging, owner, cursor.visitId, snapshot, cursor.expiresAt);
  }

  private async rank(profile: ProfileRepresentation): Promise<Ranking> {
    const [pool, activity] = await Promise.all([this.pool.get(), this.loaders.activityByProfileId.load(profile.id)]);
    return {
      pool,
      input: {
        profileId: profile.id,
        maturityRating: ratingOf(profile),
        country: profile.account?.country,
        myListIds: (profile.myList ?? []).map((t) => t.id),
        activity,
      },
    };
  }

  private ownerOf(profile: ProfileRepresentation): CursorOwner {
    return { accountId: requireViewer(this.viewer, 'home rows').accountId, profileId: profile.id };
  }

  /** Titles like `titleId`, best first; with a profile, none above its rating. */
  async similar(titleId: string, first: number, profileId?: string | null): Promise<TitleReference[] | null> {
    if (first === 0) return [];
    const [ids, shared, rating] = await Promise.all([
      this.loaders.similarByTitleId.load(titleId),
      this.pool.get(),
      profileId ? this.loaders.maturityByProfileId.load(profileId) : Promise.resolve(undefined),
    ]);
    // Another account's profile and an unknown one look the same: null.
    if (rating === null) return null;
    const limit: MaturityRating | undefined = rating;
    return ids
      .filter((id) => id !== titleId)
      .filter((id) => {
        const feature = shared.features.get(id);
        return feature !== undefined && (limit === undefined || isAllowed(feature.maturityRating, limit));
      })
      .slice(0, first)
      .map((id) => ({ id }));
  }
}

/** The gateway always supplies the rating (@requires); without it, the safest reading. */
function ratingOf(profile: ProfileRepresentation): MaturityRating {
  return profile.maturityRating ?? 'ALL';
}

/** A visit: every row, each with all the titles it can hold, empty rows in their place. */
function snapshotOf({ pool, input }: Ranking): VisitSnapshot {
  return {
    maturityRating: input.maturityRating as MaturityRating,
    rows: buildHomeRows(pool, { ...input, rows: VISIT_MAX_ROWS, itemsPerRow: MAX_ITEMS_PER_ROW, keepEmptyRows: true }),
  };
}

function anotherRow() {
  return badUserInput("after is a cursor of another row: pass this row's own itemsPageInfo.endCursor", 'after');
}
