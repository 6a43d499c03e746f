import type { CatalogPrisma } from '../prisma';
import type { GenreRecord } from '../domain';

export class GenreRepository {
  constructor(private readonly prisma: CatalogPrisma) {}

  async findByIds(ids: readonly string[]): Promise<Map<string, GenreRecord>> {
    const rows = await this.prisma.genre.findMany({ where: { id: { in: [...ids] } } });
    return new Map(rows.map((row) => [row.id, { id: row.id, name: row.name }]));
  }

  async findAll(): Promise<GenreRecord[]> {
    return this.prisma.genre.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true } });
  }
}
