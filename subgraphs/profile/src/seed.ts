import { generateDataset } from '@streaming/demo-data';
import { inChunks, type SeedOptions } from '@streaming/shared';
import type { ProfilePrisma } from './prisma';

/** Writes the profile subgraph's slice of the demo dataset. */
export async function seedProfiles(prisma: ProfilePrisma, { scale }: SeedOptions): Promise<void> {
  const dataset = generateDataset({ scale });
  await prisma.account.createMany({ data: dataset.accounts });
  await prisma.profile.createMany({ data: dataset.profiles });
  await inChunks(dataset.myList, 5_000, (data) => prisma.myListEntry.createMany({ data }));
}
