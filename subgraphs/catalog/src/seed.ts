import type { Dataset } from '@streaming/shared';
import type { CatalogPrisma } from './prisma';

const CHUNK = 2_000;

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

/** Writes the catalog's slice of the demo dataset. */
export async function seedCatalog(prisma: CatalogPrisma, dataset: Dataset): Promise<void> {
  await prisma.genre.createMany({ data: dataset.genres });
  await inChunks(dataset.titles.map((t) => ({
    id: t.id, name: t.name, kind: t.kind, synopsis: t.synopsis, releaseYear: t.releaseYear,
    maturityRating: t.maturityRating, runtimeSeconds: t.runtimeSeconds, popularity: t.popularity, createdAt: t.addedAt,
  })), (data) => prisma.title.createMany({ data }));
  await inChunks(dataset.titles.flatMap((t) => t.genreIds.map((genreId, position) => ({ titleId: t.id, genreId, position }))),
    (data) => prisma.titleGenre.createMany({ data }));
  await inChunks(dataset.titles.flatMap((t) => t.artwork.map((a) => ({ titleId: t.id, ...a }))),
    (data) => prisma.artwork.createMany({ data }));
  await inChunks(dataset.titles.flatMap((t) => t.seasons.map((s) => ({ id: s.id, titleId: t.id, number: s.number }))),
    (data) => prisma.season.createMany({ data }));
  await inChunks(dataset.titles.flatMap((t) => t.seasons.flatMap((s) => s.episodes.map((e) => ({ ...e, seasonId: s.id, titleId: t.id })))),
    (data) => prisma.episode.createMany({ data }));
}
