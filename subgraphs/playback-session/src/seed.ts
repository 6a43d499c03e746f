import type { Dataset } from '@streaming/shared';
import type { PlaybackPrisma } from './prisma';

/** Writes the playback subgraph's slice of the demo dataset: everyone's viewing progress. */
export async function seedPlayback(prisma: PlaybackPrisma, dataset: Dataset): Promise<void> {
  const rows = dataset.progress.map((p) => ({ ...p, contentId: p.episodeId ?? p.titleId }));
  for (let i = 0; i < rows.length; i += 5_000) {
    await prisma.viewingProgress.createMany({ data: rows.slice(i, i + 5_000) });
  }
}
