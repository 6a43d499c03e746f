import { maturityRank } from '@streaming/platform';
import type { PoolSnapshot, TitleFeature } from '../domain';
import type { PoolSource } from '../repositories/FeatureRepository';

/** Long enough to fill a 100-item row for a kids profile after maturity filtering. */
const LIST_DEPTH = 600;

/** Trending decays with this time constant: a view a day old counts 1/e of a view now. */
export const TRENDING_TAU_SECONDS = 86_400;

/**
 * Scores stored at different instants compare after decaying both to a common one; since
 * score x exp(-(now - t) / tau) is monotonic in ln(score) + t / tau, that sum ranks them
 * without needing "now" (or rewriting every row as time passes).
 */
export function trendingRank(score: number, updatedAt: string): number {
  return Math.log(Math.max(score, Number.MIN_VALUE)) + Date.parse(updatedAt) / 1000 / TRENDING_TAU_SECONDS;
}

const byDesc = <T>(score: (item: T) => number) => (a: T, b: T) => score(b) - score(a);

/** Ranks the read model into the shared lists every home screen draws from. Pure. */
export function buildPoolSnapshot(source: PoolSource): PoolSnapshot {
  const features = [...source.features].sort((a, b) => b.popularity - a.popularity || a.id.localeCompare(b.id));
  const ids = (list: TitleFeature[]) => list.slice(0, LIST_DEPTH).map((f) => f.id);

  const statsByCountry = new Map<string, PoolSource['countryStats']>();
  for (const stat of source.countryStats) {
    statsByCountry.set(stat.country, [...(statsByCountry.get(stat.country) ?? []), stat]);
  }
  const trendingByCountry: Record<string, string[]> = {};
  const topByCountry: Record<string, string[]> = {};
  for (const [country, stats] of statsByCountry) {
    trendingByCountry[country] = [...stats].sort(byDesc((s) => trendingRank(s.trendingScore, s.trendingUpdatedAt))).slice(0, LIST_DEPTH).map((s) => s.titleId);
    topByCountry[country] = [...stats].sort(byDesc((s) => s.views)).slice(0, 100).map((s) => s.titleId);
  }

  const byGenre: Record<string, string[]> = {};
  for (const genre of source.genres) byGenre[genre.id] = ids(features.filter((f) => f.genreIds.includes(genre.id)));

  const newest = [...features].sort((a, b) => b.releaseYear - a.releaseYear || b.addedAt.localeCompare(a.addedAt) || a.id.localeCompare(b.id));
  return {
    features,
    genres: source.genres,
    trendingByCountry,
    topByCountry,
    globalTrending: ids(features),
    newReleases: ids(newest),
    byGenre,
  };
}

/** A snapshot with its lookups built, held in memory while it is current. */
export class Pool {
  readonly features: Map<string, TitleFeature>;
  readonly rank: Map<string, number>;

  constructor(readonly snapshot: PoolSnapshot) {
    this.features = new Map(snapshot.features.map((f) => [f.id, f]));
    this.rank = new Map(snapshot.features.map((f) => [f.id, maturityRank(f.maturityRating)]));
  }

  trending(country: string | undefined): string[] {
    return (country && this.snapshot.trendingByCountry[country]) || this.snapshot.globalTrending;
  }

  top(country: string | undefined): string[] {
    return (country && this.snapshot.topByCountry[country]) || this.snapshot.globalTrending;
  }
}
