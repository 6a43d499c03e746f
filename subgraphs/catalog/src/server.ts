import type { SubgraphDefinition } from '@streaming/platform';
import type { CatalogContext } from './context';
import { createLoaders } from './loaders/createLoaders';
import { createCatalogPrisma, type CatalogPrisma } from './prisma';
import { createRepositories } from './repositories';
import { resolvers } from './resolvers';
import { isEmpty, seedCatalog } from './seed';
import { CatalogService } from './services/CatalogService';

/** The catalog subgraph: owns titles, seasons, episodes, genres and artwork, and title search. */
export const catalogSubgraph: SubgraphDefinition<CatalogPrisma, CatalogContext> = {
  name: 'catalog',
  createPrisma: createCatalogPrisma,
  setup({ store, cache, config }) {
    const repos = createRepositories(store.prisma);
    return {
      resolvers,
      createContext: ({ viewer }) => {
        const loaders = createLoaders(repos, cache, config.cacheTtlSeconds);
        return { loaders, viewer, catalog: new CatalogService(repos, loaders) };
      },
    };
  },
  isEmpty,
  seed: seedCatalog,
};
