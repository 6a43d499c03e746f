import path from 'node:path';
import { EntityClient, type SubgraphDefinition } from '@streaming/shared';
import type { ProfileContext } from './context';
import { createLoaders } from './loaders/createLoaders';
import { createProfilePrisma, type ProfilePrisma } from './prisma';
import { createRepositories } from './repositories';
import { resolvers } from './resolvers';
import { seedProfiles } from './seed';
import { ProfileService } from './services/ProfileService';

/** The profile subgraph: owns accounts, plans, profiles and each profile's list. */
export const profileSubgraph: SubgraphDefinition<ProfilePrisma, ProfileContext> = {
  name: 'profile',
  schemaPath: path.resolve(__dirname, '../schema.graphql'),
  createPrisma: createProfilePrisma,
  setup({ store, cache, config }) {
    const repos = createRepositories(store.prisma);
    const catalog = new EntityClient(config.subgraphUrls.catalog, 'catalog');
    const profiles = new ProfileService(repos, cache, catalog);
    return {
      resolvers,
      createContext: () => ({ profiles, loaders: createLoaders(repos, cache, config.cacheTtlSeconds) }),
      dispose: () => catalog.close(),
    };
  },
  isEmpty: async (prisma) => (await prisma.account.count()) === 0,
  seed: seedProfiles,
};
