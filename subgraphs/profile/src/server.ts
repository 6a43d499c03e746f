import type { SubgraphDefinition } from '@streaming/platform';
import type { ProfileContext } from './context';
import { createLoaders } from './loaders/createLoaders';
import { createProfilePrisma, type ProfilePrisma } from './prisma';
import { createRepositories } from './repositories';
import { resolvers } from './resolvers';
import { isEmpty, seedProfiles } from './seed';
import { ProfileService } from './services/ProfileService';
import { SessionService } from './services/SessionService';

/** The profile subgraph: owns accounts, plans, profiles and each profile's list. */
export const profileSubgraph: SubgraphDefinition<ProfilePrisma, ProfileContext> = {
  name: 'profile',
  createPrisma: createProfilePrisma,
  issuesTokens: true,
  setup({ store, cache, config, auth, entityClient }) {
    const repos = createRepositories(store.prisma);
    const catalog = entityClient('catalog');
    if (!auth.issuer) throw new Error('the profile subgraph signs people in and needs the signing key (AUTH_SIGNING_KEY)');
    const sessions = new SessionService(repos, auth.issuer, auth.revocations, auth.config);
    return {
      resolvers,
      createContext: ({ viewer }) => {
        const loaders = createLoaders(repos, cache, config.cacheTtlSeconds);
        return { loaders, viewer, sessions, profiles: new ProfileService({ repos, cache, catalog }, loaders) };
      },
      dispose: () => catalog.close(),
    };
  },
  isEmpty,
  seed: seedProfiles,
};
