import { generateDataset } from '@streaming/demo-data';
import { inChunks, type SeedOptions } from '@streaming/platform';
import type { PlaybackPrisma } from './prisma';

/** Writes the playback subgraph's slice of the demo dataset: everyone's viewing progress. */
export async function seedPlayback(prisma: PlaybackPrisma, { scale }: SeedOptions): Promise<void> {
  const rows = generateDataset({ scale }).progress.map((p) => ({ ...p, contentId: p.episodeId ?? p.titleId }));
  await inChunks(rows, 5_000, (data) => prisma.viewingProgress.createMany({ data }));
}

/** True when the store holds no data yet (first start of the embedded store). */
export async function isEmpty(prisma: PlaybackPrisma): Promise<boolean> {
  return (await prisma.viewingProgress.count()) === 0;
}
