import type { CatalogPrisma } from '../prisma';
import type { EpisodeRecord, SeasonRecord } from '../domain';

export class EpisodeRepository {
  constructor(private readonly prisma: CatalogPrisma) {}

  /** Seasons (with their episodes) for many titles in one statement, both in order. */
  async seasonsByTitleIds(titleIds: readonly string[]): Promise<Map<string, SeasonRecord[]>> {
    const rows = await this.prisma.season.findMany({
      where: { titleId: { in: [...titleIds] } },
      orderBy: [{ titleId: 'asc' }, { number: 'asc' }],
      include: { episodes: { orderBy: { number: 'asc' } } },
    });
    const byTitle = new Map<string, SeasonRecord[]>(titleIds.map((id) => [id, []]));
    for (const season of rows) {
      byTitle.get(season.titleId)?.push({
        number: season.number,
        episodes: season.episodes.map((e) => ({
          id: e.id, titleId: e.titleId, seasonNumber: season.number, number: e.number,
          name: e.name, synopsis: e.synopsis, runtimeSeconds: e.runtimeSeconds,
        })),
      });
    }
    return byTitle;
  }

  async findByIds(ids: readonly string[]): Promise<Map<string, EpisodeRecord>> {
    const rows = await this.prisma.episode.findMany({
      where: { id: { in: [...ids] } },
      include: { season: { select: { number: true } } },
    });
    return new Map(rows.map((e) => [e.id, {
      id: e.id, titleId: e.titleId, seasonNumber: e.season.number, number: e.number,
      name: e.name, synopsis: e.synopsis, runtimeSeconds: e.runtimeSeconds,
    }]));
  }
}
