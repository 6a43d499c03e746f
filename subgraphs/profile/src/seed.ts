import type { Dataset } from '@streaming/shared';
import type { ProfilePrisma } from './prisma';

/** Writes the profile subgraph's slice of the demo dataset. */
export async function seedProfiles(prisma: ProfilePrisma, dataset: Dataset): Promise<void> {
  await prisma.account.createMany({ data: dataset.accounts });
  await prisma.profile.createMany({ data: dataset.profiles });
  for (let i = 0; i < dataset.myList.length; i += 5_000) {
    await prisma.myListEntry.createMany({ data: dataset.myList.slice(i, i + 5_000) });
  }
}
