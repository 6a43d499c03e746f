import { createRedisClient, failFastRedisOptions, type SubgraphDefinition } from '@streaming/platform';
import type { ProfileContext } from './context';
import { RefreshTokenPruner } from './jobs/RefreshTokenPruner';
import { BoundedConcurrency } from './limits/BoundedConcurrency';
import { FailedAttemptLimiter } from './limits/FailedAttemptLimiter';
import { createLoaders } from './loaders/createLoaders';
import { createProfilePrisma, type ProfilePrisma } from './prisma';
import { createRepositories } from './repositories';
import { resolvers } from './resolvers';
import { isEmpty, seedProfiles } from './seed';
import { PasswordChecker } from './services/PasswordChecker';
import { ProfileService } from './services/ProfileService';
import { SessionService } from './services/SessionService';
import { profileSettingsFromEnv } from './settings';

/** The profile subgraph: owns accounts, plans, profiles and each profile's list. */
export const profileSubgraph: SubgraphDefinition<ProfilePrisma, ProfileContext> = {
  name: 'profile',
  createPrisma: createProfilePrisma,
  issuesTokens: true,
  setup({ store, cache, config, auth, entityClient }) {
    const settings = profileSettingsFromEnv(config.env);
    const repos = createRepositories(store.prisma);
    const catalog = entityClient('catalog');
    if (!auth.issuer) throw new Error('the profile subgraph signs people in and needs the signing key (AUTH_SIGNING_KEY)');
    // Failed-attempt counters are shared through Redis when there is one (FailedAttemptLimiter
    // falls back to this process's memory while it is unreachable).
    const redis = config.redisUrl ? createRedisClient(config.redisUrl, failFastRedisOptions()) : undefined;
    redis?.on('error', () => undefined);
    const passwords = new PasswordChecker(
      new FailedAttemptLimiter(settings.passwords, redis, config.cacheKeyPrefix),
      new BoundedConcurrency({
        concurrency: settings.passwords.hashConcurrency,
        maxQueued: settings.passwords.hashQueue,
        maxWaitMs: settings.passwords.hashMaxWaitMs,
      }),
    );
    const sessions = new SessionService(repos, auth.issuer, auth.revocations, auth.config, passwords, settings.refreshTokens);
    const pruner = new RefreshTokenPruner(repos.refreshTokens, {
      intervalMs: settings.refreshTokens.pruneIntervalSeconds * 1000,
      batch: settings.refreshTokens.pruneBatch,
    });
    return {
      resolvers,
      createContext: ({ viewer, clientAddress, requestId }) => {
        const loaders = createLoaders(repos, cache, config.cacheTtlSeconds);
        return { loaders, viewer, clientAddress, sessions, profiles: new ProfileService({ repos, cache, catalog, passwords }, loaders, requestId) };
      },
      start: async () => pruner.start(),
      dispose: async () => {
        await pruner.stop();
        redis?.disconnect();
        await catalog.close();
      },
    };
  },
  isEmpty,
  seed: seedProfiles,
};
