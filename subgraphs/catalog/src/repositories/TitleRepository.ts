import type { Maturity } from '@streaming/platform';
import type { CatalogPrisma } from '../prisma';
import type { TitleRecord } from '../domain';

// One statement per call: relationJoins folds genres and artwork into the title query as JSON.
const withRelations = {
  genres: { select: { genreId: true }, orderBy: { position: 'asc' } },
  artwork: { select: { type: true, url: true, width: true, height: true } },
} as const;

type TitleRow = Awaited<ReturnType<CatalogPrisma['title']['findMany']>>[number] & {
  genres: { genreId: string }[];
  artwork: TitleRecord['artwork'];
};

function toRecord(row: TitleRow): TitleRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    synopsis: row.synopsis,
    releaseYear: row.releaseYear,
    maturityRating: row.maturityRating,
    runtimeSeconds: row.runtimeSeconds,
    popularity: row.popularity,
    genreIds: row.genres.map((g) => g.genreId),
    artwork: row.artwork,
  };
}

export class TitleRepository {
  constructor(private readonly prisma: CatalogPrisma) {}

  async findByIds(ids: readonly string[]): Promise<Map<string, TitleRecord>> {
    const rows = await this.prisma.title.findMany({ where: { id: { in: [...ids] } }, include: withRelations });
    return new Map(rows.map((row) => [row.id, toRecord(row as TitleRow)]));
  }

  /**
   * Case-insensitive substring match on the name, limited to the ratings the profile may see.
   * Names that start with the query rank first, then popularity: "star" finds "Star Crossing"
   * before "Neon Star".
   */
  async search(query: string, ratings: Maturity[], first: number): Promise<TitleRecord[]> {
    // LIKE treats % and _ as wildcards: a search for "100%" means the characters.
    const literal = query.replace(/[\\%_]/g, (c) => `\\${c}`);
    const rows = await this.prisma.title.findMany({
      where: { name: { contains: literal, mode: 'insensitive' }, maturityRating: { in: ratings } },
      include: withRelations,
      orderBy: [{ popularity: 'desc' }, { id: 'asc' }],
      take: 500,
    });
    const lowered = query.toLowerCase();
    const startsWith = (row: { name: string }) => (row.name.toLowerCase().startsWith(lowered) || row.name.toLowerCase().startsWith(`the ${lowered}`) ? 0 : 1);
    return rows
      .map((row) => toRecord(row as TitleRow))
      .sort((a, b) => startsWith(a) - startsWith(b))
      .slice(0, first);
  }

  /** The first `first` titles of the given ratings in an order (most popular, or newest first). */
  async ranked(order: 'popular' | 'newest', ratings: Maturity[], first: number): Promise<TitleRecord[]> {
    const rows = await this.prisma.title.findMany({
      where: { maturityRating: { in: ratings } },
      include: withRelations,
      orderBy: order === 'popular'
        ? [{ popularity: 'desc' }, { id: 'asc' }]
        : [{ releaseYear: 'desc' }, { popularity: 'desc' }, { id: 'asc' }],
      take: first,
    });
    return rows.map((row) => toRecord(row as TitleRow));
  }
}
