import { bulkInsert } from '@streaming/platform';
import type { RecommendationPrisma } from '../prisma';

export const SIMILAR_KEPT = 50;

export class SimilarityRepository {
  constructor(private readonly prisma: RecommendationPrisma) {}

  /** Similar title ids, best first, for many titles in one statement. */
  async byTitleIds(titleIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = await this.prisma.titleSimilarity.findMany({
      where: { titleId: { in: [...titleIds] } },
      orderBy: [{ score: 'desc' }, { similarTitleId: 'asc' }],
      select: { titleId: true, similarTitleId: true },
    });
    const byTitle = new Map<string, string[]>(titleIds.map((id) => [id, []]));
    for (const row of rows) {
      const list = byTitle.get(row.titleId);
      if (list && list.length < SIMILAR_KEPT) list.push(row.similarTitleId);
    }
    return byTitle;
  }

  /** Replaces every similarity (the batch job's output) in one transaction. */
  async replaceAll(rows: { titleId: string; similarTitleId: string; score: number }[]): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.titleSimilarity.deleteMany({});
      // Up to 50 per title: bulkInsert, not createMany (see there why).
      await bulkInsert(tx, 'title_similarities', rows.map((r) => ({ title_id: r.titleId, similar_title_id: r.similarTitleId, score: r.score })));
    }, { timeout: 120_000 });
  }
}
