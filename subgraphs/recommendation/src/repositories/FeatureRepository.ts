import type { GenreFeature, TitleFeature } from '../domain';
import type { RecommendationPrisma } from '../prisma';

export interface CountryStat {
  titleId: string;
  country: string;
  views: number;
  trendingScore: number;
  /** ISO-8601: the instant trendingScore was last decayed to. */
  trendingUpdatedAt: string;
}

export interface PoolSource {
  features: TitleFeature[];
  genres: GenreFeature[];
  countryStats: CountryStat[];
}

export class FeatureRepository {
  constructor(private readonly prisma: RecommendationPrisma) {}

  /** The whole read model the shared rows are ranked from: two statements. */
  async loadPoolSource(): Promise<PoolSource> {
    const [titles, genres] = await Promise.all([
      this.prisma.titleFeature.findMany({ include: { countryViews: { select: { country: true, views: true, trendingScore: true, trendingUpdatedAt: true } } } }),
      this.prisma.genreFeature.findMany({ orderBy: { name: 'asc' } }),
    ]);
    return {
      features: titles.map((t) => ({
        id: t.titleId, name: t.name, maturityRating: t.maturityRating, releaseYear: t.releaseYear,
        addedAt: t.addedAt.toISOString(), genreIds: t.genreIds, popularity: t.popularity,
      })),
      genres,
      countryStats: titles.flatMap((t) => t.countryViews.map((c) => ({ titleId: t.titleId, ...c, trendingUpdatedAt: c.trendingUpdatedAt.toISOString() }))),
    };
  }
}
