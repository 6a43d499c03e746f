import type { Maturity } from '@streaming/platform';
import { Prisma } from '../__generated__/prisma/client';
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
   * Ids of the titles whose name contains `query` (case-insensitive), limited to the ratings the
   * profile may see, best first: names that start with it (or with "The " and it), then the
   * rest; each by popularity, then id. One statement (searchStatement).
   */
  async searchIds(query: string, ratings: Maturity[], first: number): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>(searchStatement(query, ratings, first));
    return rows.map((row) => row.id);
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

/**
 * The search, ranked in SQL: "Star Crossing" before "Neon Star", however many names contain
 * "st". Each tier is its own bounded query, so each can use its own index and stop at `first`:
 * starts-with on `titles_name_prefix_idx` (lower(name) text_pattern_ops, any query length), and
 * contains on `titles_name_idx` (pg_trgm GIN, from 3 characters; shorter ones match so many
 * names that walking `titles_popularity_idx` until `first` of them turn up is the cheaper plan).
 * Exported for the planner test (test/search.test.ts), which EXPLAINs exactly this statement.
 */
export function searchStatement(query: string, ratings: Maturity[], first: number): Prisma.Sql {
  // LIKE treats % and _ as wildcards: a search for "100%" means the characters.
  const literal = query.replace(/[\\%_]/g, (c) => `\\${c}`);
  const startsWith = Prisma.sql`(lower(name) LIKE lower(${`${literal}%`}) OR lower(name) LIKE lower(${`the ${literal}%`}))`;
  // Compared as text: an enum-array parameter is one PGlite can't serialise.
  const allowed = Prisma.sql`maturity_rating::text = ANY(${ratings}::text[])`;
  return Prisma.sql`
    SELECT id FROM (
      (SELECT id, 0 AS tier, popularity FROM titles
        WHERE ${startsWith} AND ${allowed}
        ORDER BY popularity DESC, id LIMIT ${first})
      UNION ALL
      (SELECT id, 1 AS tier, popularity FROM titles
        WHERE name ILIKE ${`%${literal}%`} AND NOT ${startsWith} AND ${allowed}
        ORDER BY popularity DESC, id LIMIT ${first})
    ) ranked
    ORDER BY tier, popularity DESC, id
    LIMIT ${first}`;
}
