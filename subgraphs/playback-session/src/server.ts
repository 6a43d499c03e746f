import { ProfileOwnership, type SubgraphDefinition } from '@streaming/platform';
import { DomainClients } from './clients/DomainClients';
import type { PlaybackContext } from './context';
import { createLoaders } from './loaders/createLoaders';
import { createPlaybackPrisma, type PlaybackPrisma } from './prisma';
import { ProgressRepository } from './repositories/ProgressRepository';
import { resolvers } from './resolvers';
import { authorizeRoute } from './license/authorizeRoute';
import { PlaybackAuthorizer } from './license/PlaybackAuthorizer';
import { isEmpty, seedPlayback } from './seed';
import { MemorySessionStore } from './sessions/MemorySessionStore';
import { RedisSessionStore } from './sessions/RedisSessionStore';
import { PlaybackService } from './services/PlaybackService';
import { ProgressWriter } from './services/ProgressWriter';
import { playbackSettingsFromEnv } from './settings';

/**
 * The playback-session subgraph: owns live playback sessions (in Redis), durable viewing
 * progress (in its Postgres), continue watching, the playback event stream's producer side, and
 * the playback authorization check edges call (POST /playback/authorize, outside GraphQL).
 */
export const playbackSessionSubgraph: SubgraphDefinition<PlaybackPrisma, PlaybackContext> = {
  name: 'playback-session',
  createPrisma: createPlaybackPrisma,
  setup({ store, events, config, entityClient }) {
    const settings = playbackSettingsFromEnv(config.env);
    const progress = new ProgressRepository(store.prisma);
    const sessions = config.redisUrl
      ? new RedisSessionStore(config.redisUrl, `${config.cacheKeyPrefix}playback:`)
      : new MemorySessionStore();
    const clients = new DomainClients(entityClient('profile'), entityClient('catalog'));
    const profileClient = entityClient('profile');
    const ownership = new ProfileOwnership(profileClient);
    const writer = new ProgressWriter(sessions, progress, events, settings.progressFlushMs);
    const playback = new PlaybackService(sessions, progress, clients, writer, events, settings);
    const authorizer = new PlaybackAuthorizer(sessions, settings.manifestSecret);
    return {
      resolvers,
      routes: [authorizeRoute(authorizer)],
      createContext: ({ viewer, requestId }) => ({ playback, viewer, requestId, ownsProfile: ownership.loader(viewer, requestId), loaders: createLoaders(progress) }),
      start: async () => {
        if (sessions instanceof RedisSessionStore) await sessions.connected();
        writer.start();
      },
      dispose: async () => {
        await writer.stop();
        await sessions.close();
        await clients.close();
        await profileClient.close();
      },
    };
  },
  isEmpty,
  seed: seedPlayback,
};
