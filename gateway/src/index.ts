import { readFileSync } from 'node:fs';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createLogger, stopOnSignals } from '@streaming/shared';
import { gatewayConfigFromEnv } from './config';
import { createGatewayServer } from './server';

const log = createLogger('gateway');

async function main(): Promise<void> {
  const config = gatewayConfigFromEnv();
  const server = createGatewayServer({
    supergraphSdl: readFileSync(config.supergraphPath, 'utf8'),
    subgraphUrls: config.subgraphUrls,
    production: config.production,
    entityCache: config.entityCache,
    resilience: config.resilience,
  });
  const { url } = await startStandaloneServer(server, { listen: { port: config.port, host: config.host } });
  const shown = url.replace('[::]', 'localhost').replace('0.0.0.0', 'localhost');
  log.info(`ready at ${shown}${config.production ? '' : ' (open it in a browser for Apollo Sandbox)'}`);
  stopOnSignals(log, () => server.stop());
}

main().catch((err) => {
  log.error('failed to start', err);
  process.exit(1);
});
