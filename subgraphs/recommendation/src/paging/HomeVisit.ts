import type { HomeRowRecord, ProfileRepresentation } from '../domain';
import type { HomeVisitCache } from '../caches/HomeVisitCache';
import type { CursorOwner, HomeCursors } from './HomeCursors';
import { serialiseVisit, type VisitSnapshot } from './visitSnapshot';

export interface VisitDeps {
  cursors: HomeCursors;
  visits: HomeVisitCache;
  /** How long a visit lasts from its first cursor. */
  visitSeconds: number;
  now: () => number;
}

/** `items`' arguments as a query gives them. */
export interface ItemsArgs {
  first?: number | null;
  after?: string | null;
}

/** A row as a request serves it (the GraphQL `HomeRow`): the ranked row, and the visit it is part of. */
export interface ServedRow extends HomeRowRecord {
  /**
   * What `items` gives without arguments: the row's first `defaultFirst` titles, or all of them if
   * it has fewer. A first page of `items` no longer than that is read from them, without the
   * visit's snapshot (a short row, My List with two titles, would otherwise rank every row of the
   * visit in full to learn that it has no more).
   */
  itemIds: string[];
  visit: HomeVisit;
  profile: ProfileRepresentation;
  /** The page size of the rows around it (homeRows' `itemsPerRow`; 1 for a row asked by id): which rows `hasMoreRows` counts. */
  itemsPerRow: number;
  /** `items(first:)` when the query leaves it out. */
  defaultFirst: number;
  /** `items`' arguments in this selection: the page `itemsPageInfo` describes. */
  itemsArgs: ItemsArgs;
}

/**
 * One home-screen visit as a request sees it. A fresh visit (a first page, ranked now) builds
 * its whole snapshot only when something needs more than the page (a cursor, whether more
 * follows), and is saved, and so begins, only when it hands out its first cursor: a HomeScreen
 * that selects no cursor costs what it cost before paging existed. A resumed visit (a later
 * page) is the snapshot a cursor named; its cursors carry the visit's first expiry on.
 */
export class HomeVisit {
  private built: VisitSnapshot | undefined;
  private indexes: Map<string, number> | undefined;
  private begun: Promise<{ id: string; expiresAt: number }> | undefined;

  private constructor(
    private readonly deps: VisitDeps,
    readonly owner: CursorOwner,
    private readonly build: () => VisitSnapshot,
  ) {}

  static fresh(deps: VisitDeps, owner: CursorOwner, build: () => VisitSnapshot): HomeVisit {
    return new HomeVisit(deps, owner, build);
  }

  static resumed(deps: VisitDeps, owner: CursorOwner, visitId: string, snapshot: VisitSnapshot, expiresAt: number): HomeVisit {
    const visit = new HomeVisit(deps, owner, () => snapshot);
    visit.begun = Promise.resolve({ id: visitId, expiresAt });
    return visit;
  }

  get snapshot(): VisitSnapshot {
    return (this.built ??= this.build());
  }

  /** Where the row stands among the visit's rows; undefined when it is not one of them. */
  indexOf(rowId: string): number | undefined {
    this.indexes ??= new Map(this.snapshot.rows.map((row, i) => [row.id, i]));
    return this.indexes.get(rowId);
  }

  async rowsCursor(afterRow: number): Promise<string> {
    const { id, expiresAt } = await this.begin();
    return this.deps.cursors.sign({ kind: 'rows', visitId: id, expiresAt, afterRow }, this.owner);
  }

  async itemsCursor(row: number, afterItems: number): Promise<string> {
    const { id, expiresAt } = await this.begin();
    return this.deps.cursors.sign({ kind: 'items', visitId: id, expiresAt, row, afterItems }, this.owner);
  }

  /** Once per visit and request, however many cursors the page hands out. */
  private begin(): Promise<{ id: string; expiresAt: number }> {
    this.begun ??= (async () => {
      const serialised = serialiseVisit(this.snapshot);
      // Not refused when the cache can't take it: the visit's pages can still be served while
      // the ranking stays as it is (see RecommendationService.resume).
      await this.deps.visits.save(this.owner, serialised);
      return { id: serialised.id, expiresAt: Math.floor(this.deps.now() / 1000) + this.deps.visitSeconds };
    })();
    return this.begun;
  }
}
