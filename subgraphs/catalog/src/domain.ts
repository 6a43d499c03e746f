import type { Artwork, ArtworkType, MaturityRating, TitleKind } from './__generated__/resolvers-types';

/**
 * What the catalog caches and resolves from: plain JSON-safe records, one per entity, with the
 * small relations (genre ids, artwork) folded in so that one cache read draws a whole tile.
 */
export interface TitleRecord {
  id: string;
  name: string;
  kind: TitleKind;
  synopsis: string;
  releaseYear: number;
  maturityRating: MaturityRating;
  runtimeSeconds: number;
  popularity: number;
  genreIds: string[];
  artwork: ArtworkRecord[];
}

/** An artwork as stored and cached: the GraphQL shape plus the type `artwork(type:)` filters on. */
export type ArtworkRecord = Omit<Artwork, '__typename'> & { type: ArtworkType };

export interface GenreRecord {
  id: string;
  name: string;
}

export interface EpisodeRecord {
  id: string;
  titleId: string;
  seasonNumber: number;
  number: number;
  name: string;
  synopsis: string;
  runtimeSeconds: number;
}

export interface SeasonRecord {
  number: number;
  episodes: EpisodeRecord[];
}

/** A profile as the gateway hands it over for `search`: its id and the @requires'd rating. */
export interface ProfileReference {
  id: string;
  maturityRating?: MaturityRating;
}
