import path from 'node:path';
import { EntityClient, type SubgraphDefinition } from '@streaming/shared';
import type { ProfileContext } from './context';
import { createLoaders } from './loaders/createLoaders';
import { createProfilePrisma, type ProfilePrisma } from './prisma';
import { createRepositories } from './repositories';
import { resolvers } from './resolvers';
import { isEmpty, seedProfiles } from './seed';
import { ProfileService } from './services/ProfileService';

/** The profile subgraph: owns accounts, plans, profiles and each profile's list. */
export const profileSubgraph: SubgraphDefinition<ProfilePrisma, ProfileContext> = {
  name: 'profile',
  schemaPath: path.resolve(__dirname, '../schema.graphql'),
  createPrisma: createProfilePrisma,
  setup({ store, cache, config }) {
    const repos = createRepositories(store.prisma);
    const catalog = new EntityClient(config.subgraphUrls.catalog, 'catalog');
    return {
      resolvers,
      createContext: () => {
        const loaders = createLoaders(repos, cache, config.cacheTtlSeconds);
        return { loaders, profiles: new ProfileService({ repos, cache, catalog }, loaders) };
      },
      dispose: () => catalog.close(),
    };
  },
  isEmpty,
  seed: seedProfiles,
};
