import type { MaturityRating, RowKind } from './__generated__/resolvers-types';

/** What ranking knows about a title: a projection of the catalog, kept in this subgraph's store. */
export interface TitleFeature {
  id: string;
  name: string;
  maturityRating: MaturityRating;
  releaseYear: number;
  addedAt: string;
  genreIds: string[];
  popularity: number;
}

export interface GenreFeature {
  id: string;
  name: string;
}

/**
 * The shared, profile-independent part of every home screen, computed from the whole read
 * model: ranked id lists per country and genre. JSON-safe, so it can sit in the shared cache.
 */
export interface PoolSnapshot {
  features: TitleFeature[];
  genres: GenreFeature[];
  /** Time-decayed views, per country, best first. */
  trendingByCountry: Record<string, string[]>;
  /** Most viewed per country, best first. */
  topByCountry: Record<string, string[]>;
  globalTrending: string[];
  newReleases: string[];
  /** Per genre, by popularity. */
  byGenre: Record<string, string[]>;
}

/** A profile's watch history entry, with the titles most similar to it (for "because you watched"). */
export interface ActivityRecord {
  titleId: string;
  lastWatchedAt: string;
  completed: boolean;
  similarIds: string[];
}

/** The most rows one page of the home screen holds (`homeRows(first:)`). */
export const MAX_ROWS = 50;
/** The most titles a row holds, and so the most one page of a row's titles can (`itemsPerRow`, `items(first:)`). */
export const MAX_ITEMS_PER_ROW = 100;
/** Titles a row asked by id (`homeRow(id:)`) gives when `items` doesn't say: a phone's sideways page. */
export const DEFAULT_ROW_PAGE = 20;

/** A row as ranked: its titles in order, best first. */
export interface HomeRowRecord {
  id: string;
  kind: RowKind;
  title: string;
  itemIds: string[];
}

/** A Profile as the gateway hands it over: its key and the fields homeRows @requires. */
export interface ProfileRepresentation {
  id: string;
  maturityRating?: MaturityRating;
  myList?: { id: string }[];
  account?: { country: string };
}

export interface TitleReference {
  id: string;
}
