import { generateDataset } from '@streaming/demo-data';
import { bulkInsert, type SeedOptions } from '@streaming/platform';
import type { ProfilePrisma } from './prisma';
import { hashPassword } from './services/passwords';

/** The password of every seeded account (README, "Identity"). */
export const DEMO_PASSWORD = 'streaming-demo';

/**
 * Writes the profile subgraph's slice of the demo dataset. Every account can sign in with the
 * demo password. The three demo accounts get their own salted hash; the generated thousand
 * share one hash made once per seed: a scrypt per account would add about a minute to the
 * seed, and equal passwords having equal hashes says nothing here that the README doesn't.
 * (Real accounts would each get their own salt, as hashPassword always gives.)
 */
export async function seedProfiles(prisma: ProfilePrisma, { scale }: SeedOptions): Promise<void> {
  const dataset = generateDataset({ scale });
  const shared = await hashPassword(DEMO_PASSWORD);
  const demo = new Map<string, string>();
  for (const account of dataset.accounts.filter((a) => a.id.startsWith('demo-'))) demo.set(account.id, await hashPassword(DEMO_PASSWORD));
  await prisma.account.createMany({ data: dataset.accounts.map((a) => ({ ...a, passwordHash: demo.get(a.id) ?? shared })) });
  await prisma.profile.createMany({ data: dataset.profiles });
  await bulkInsert(prisma, 'my_list_entries', dataset.myList.map((e) => ({ profile_id: e.profileId, title_id: e.titleId, added_at: e.addedAt })));
}

/** True when the store holds no data yet (first start of the embedded store). */
export async function isEmpty(prisma: ProfilePrisma): Promise<boolean> {
  return (await prisma.account.count()) === 0;
}
