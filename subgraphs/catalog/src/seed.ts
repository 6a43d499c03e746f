import { generateDataset } from '@streaming/demo-data';
import { bulkInsert, inChunks, type SeedOptions } from '@streaming/platform';
import type { CatalogPrisma } from './prisma';

const CHUNK = 2_000;

/** Writes the catalog's slice of the demo dataset. */
export async function seedCatalog(prisma: CatalogPrisma, { scale }: SeedOptions): Promise<void> {
  const dataset = generateDataset({ scale });
  await prisma.genre.createMany({ data: dataset.genres });
  await inChunks(dataset.titles.map((t) => ({
    id: t.id, name: t.name, kind: t.kind, synopsis: t.synopsis, releaseYear: t.releaseYear,
    maturityRating: t.maturityRating, runtimeSeconds: t.runtimeSeconds, popularity: t.popularity, createdAt: t.addedAt,
  })), CHUNK, (data) => prisma.title.createMany({ data }));
  await inChunks(dataset.titles.flatMap((t) => t.genreIds.map((genreId, position) => ({ titleId: t.id, genreId, position }))),
    CHUNK, (data) => prisma.titleGenre.createMany({ data }));
  await inChunks(dataset.titles.flatMap((t) => t.artwork.map((a) => ({ titleId: t.id, ...a }))),
    CHUNK, (data) => prisma.artwork.createMany({ data }));
  await inChunks(dataset.titles.flatMap((t) => t.seasons.map((s) => ({ id: s.id, titleId: t.id, number: s.number }))),
    CHUNK, (data) => prisma.season.createMany({ data }));
  // The largest table here: bulkInsert, not createMany (see there why).
  await bulkInsert(prisma, 'episodes', dataset.titles.flatMap((t) => t.seasons.flatMap((s) => s.episodes.map((e) => ({
    id: e.id, season_id: s.id, title_id: t.id, number: e.number, name: e.name, synopsis: e.synopsis, runtime_seconds: e.runtimeSeconds,
  })))));
}

/** True when the store holds no data yet (first start of the embedded store). */
export async function isEmpty(prisma: CatalogPrisma): Promise<boolean> {
  return (await prisma.title.count()) === 0;
}
