import path from 'node:path';
import type { SubgraphDefinition } from '@streaming/shared';
import type { PlaybackContext } from './context';
import { createLoaders } from './loaders/createLoaders';
import { createPlaybackPrisma, type PlaybackPrisma } from './prisma';
import { ProgressRepository } from './repositories/ProgressRepository';
import { resolvers } from './resolvers';
import { seedPlayback } from './seed';

/** The playback-session subgraph: owns viewing progress and continue watching. */
export const playbackSessionSubgraph: SubgraphDefinition<PlaybackPrisma, PlaybackContext> = {
  name: 'playback-session',
  schemaPath: path.resolve(__dirname, '../schema.graphql'),
  createPrisma: createPlaybackPrisma,
  setup({ store }) {
    const progress = new ProgressRepository(store.prisma);
    return { resolvers, createContext: () => ({ loaders: createLoaders(progress) }) };
  },
  isEmpty: async (prisma) => (await prisma.viewingProgress.count()) === 0,
  seed: seedPlayback,
};
