import { ProfileOwnership, type SubgraphDefinition } from '@streaming/platform';
import { DomainClients } from './clients/DomainClients';
import type { PlaybackContext } from './context';
import { createLoaders } from './loaders/createLoaders';
import { createPlaybackPrisma, type PlaybackPrisma } from './prisma';
import { ProgressRepository } from './repositories/ProgressRepository';
import { resolvers } from './resolvers';
import { isEmpty, seedPlayback } from './seed';
import { MemorySessionStore } from './sessions/MemorySessionStore';
import { RedisSessionStore } from './sessions/RedisSessionStore';
import { PlaybackService } from './services/PlaybackService';
import { ProgressWriter } from './services/ProgressWriter';
import { playbackSettingsFromEnv } from './settings';

/**
 * The playback-session subgraph: owns live playback sessions (in Redis), durable viewing
 * progress (in its Postgres), continue watching, and the playback event stream's producer side.
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
    return {
      resolvers,
      createContext: ({ viewer }) => ({ playback, viewer, ownsProfile: ownership.loader(viewer), loaders: createLoaders(progress) }),
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
