import type { BaseContext } from '@apollo/server';
import { subgraphConfigFromEnv } from '../config';
import { createLogger } from '../log';
import type { PrismaLike } from '../store/openStore';
import { startSubgraph, type SubgraphDefinition } from './startSubgraph';

/** A subgraph's process entry point: config from the environment, start, stop cleanly on signals. */
export async function runSubgraphProcess<P extends PrismaLike, C extends BaseContext>(definition: SubgraphDefinition<P, C>): Promise<void> {
  const log = createLogger(definition.name);
  try {
    const config = subgraphConfigFromEnv(definition.name);
    const running = await startSubgraph(definition, config);
    log.info(`ready at ${running.url} (${running.store.description}, ${running.cache.kind} cache)`);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info(`${signal}: draining and stopping`);
      await running.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  } catch (err) {
    log.error('failed to start', err);
    process.exit(1);
  }
}
