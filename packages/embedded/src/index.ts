import '@streaming/platform/dist/observability/register';
import {
  authConfigFromEnv, createAuthServices, createLogger, InProcessBus, MemoryCache, startSubgraph, stopOnSignals, subgraphConfigFromEnv,
  type RunningSubgraph,
} from '@streaming/platform';
import { catalogSubgraph } from '@streaming/catalog';
import { playbackSessionSubgraph } from '@streaming/playback-session';
import { profileSubgraph } from '@streaming/profile';
import { recommendationSubgraph } from '@streaming/recommendation';

/**
 * The embedded default (no REDIS_URL): the four subgraphs, each on its own port with its own
 * PGlite store, in ONE process. The in-memory cache and the in-process event bus only connect
 * what shares a process, and playback's events must reach recommendation; with Redis configured
 * `npm start` runs each subgraph as its own process instead, as production does.
 */
const log = createLogger('embedded');

async function main(): Promise<void> {
  if (process.env.REDIS_URL) log.warn('REDIS_URL is set: run the subgraphs as separate processes instead (npm start does)');
  const cache = new MemoryCache();
  const events = new InProcessBus();
  // One revocation list for the four: a sign-out in profile holds in playback and recommendation.
  const auth = await createAuthServices({ config: authConfigFromEnv(), needSigningKey: true, keyPrefix: '', component: 'embedded' });
  const running: RunningSubgraph<unknown>[] = [];
  for (const definition of [catalogSubgraph, profileSubgraph, playbackSessionSubgraph, recommendationSubgraph] as const) {
    const config = subgraphConfigFromEnv(definition.name);
    const subgraph = await startSubgraph(definition as Parameters<typeof startSubgraph>[0], config, { cache, events, auth });
    running.push(subgraph as RunningSubgraph<unknown>);
    createLogger(definition.name).info(`ready at ${subgraph.url} (${subgraph.store.description}, in-process cache and event bus)`);
  }
  stopOnSignals(log, async () => {
    for (const subgraph of running.reverse()) await subgraph.stop();
    await events.close();
    await auth.close();
  });
}

main().catch((err) => {
  log.error('failed to start', err);
  process.exit(1);
});
