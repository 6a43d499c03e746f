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

/** True when the store holds no data yet (first start of the embedded store). */
export async function isEmpty(prisma: ProfilePrisma): Promise<boolean> {
  return (await prisma.account.count()) === 0;
}
