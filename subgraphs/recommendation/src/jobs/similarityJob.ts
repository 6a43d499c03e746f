import { createLogger, openStore, subgraphConfigFromEnv } from '@streaming/platform';
import { createRecommendationPrisma } from '../prisma';
import { createRepositories } from '../repositories';
import { recomputeSimilarities } from './recomputeSimilarities';

/** `npm run job:similarity`: recomputes similarities in the configured recommendation store. */
async function main(): Promise<void> {
  const log = createLogger('similarity-job');
  const config = subgraphConfigFromEnv('recommendation');
  // A batch job's statements are long by design; the request-sized statement timeout is off.
  const storeConfig = config.store.kind === 'postgres' ? { ...config.store, statementTimeoutMs: 0 } : config.store;
  const store = await openStore('recommendation', storeConfig, createRecommendationPrisma);
  try {
    const started = Date.now();
    const { titles, pairs } = await recomputeSimilarities(createRepositories(store.prisma));
    log.info(`recomputed ${pairs} similar pairs for ${titles} titles from co-viewing in ${Date.now() - started} ms (${store.description})`);
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
