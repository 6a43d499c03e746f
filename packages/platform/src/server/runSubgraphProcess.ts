import type { BaseContext } from '@apollo/server';
import { subgraphConfigFromEnv } from '../config';
import { createLogger } from '../log';
import type { PrismaLike } from '../store/openStore';
import { startSubgraph, type SubgraphDefinition } from './startSubgraph';
import { stopOnSignals } from './stopOnSignals';

/** A subgraph's process entry point: config from the environment, start, stop cleanly on signals. */
export async function runSubgraphProcess<P extends PrismaLike, C extends BaseContext>(definition: SubgraphDefinition<P, C>): Promise<void> {
  const log = createLogger(definition.name);
  try {
    const config = subgraphConfigFromEnv(definition.name);
    const running = await startSubgraph(definition, config);
    log.info(`ready at ${running.url} (${running.store.description}, ${running.cache.kind} cache)`);
    stopOnSignals(log, () => running.stop());
  } catch (err) {
    log.error('failed to start', err);
    process.exit(1);
  }
}
