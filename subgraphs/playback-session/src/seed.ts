import { generateDataset } from '@streaming/demo-data';
import { bulkInsert, type SeedOptions } from '@streaming/platform';
import type { PlaybackPrisma } from './prisma';

/** Writes the playback subgraph's slice of the demo dataset: everyone's viewing progress. */
export async function seedPlayback(prisma: PlaybackPrisma, { scale }: SeedOptions): Promise<void> {
  // The largest table of the dataset: bulkInsert, not createMany (see there why).
  const rows = generateDataset({ scale }).progress.map((p) => ({
    profile_id: p.profileId, content_id: p.episodeId ?? p.titleId, title_id: p.titleId, episode_id: p.episodeId ?? null,
    position_seconds: p.positionSeconds, duration_seconds: p.durationSeconds, completed: p.completed, updated_at: p.updatedAt,
  }));
  await bulkInsert(prisma, 'viewing_progress', rows);
}

/** True when the store holds no data yet (first start of the embedded store). */
export async function isEmpty(prisma: PlaybackPrisma): Promise<boolean> {
  return (await prisma.viewingProgress.count()) === 0;
}
