import '@streaming/shared/dist/observability/register';
import { readFileSync } from 'node:fs';
import { createLogger, listen, stopOnSignals } from '@streaming/shared';
import { gatewayConfigFromEnv } from './config';
import { createGateway } from './server';

const log = createLogger('gateway');

async function main(): Promise<void> {
  const config = gatewayConfigFromEnv();
  const gateway = await createGateway({
    supergraphSdl: readFileSync(config.supergraphPath, 'utf8'),
    subgraphUrls: config.subgraphUrls,
    production: config.production,
    entityCache: config.entityCache,
    telemetry: config.telemetry,
  });
  const http = await listen(gateway.app, { port: config.port, host: config.host });
  log.info(`ready at ${http.url}${config.production ? '' : ' (open it in a browser for Apollo Sandbox)'}`);
  stopOnSignals(log, async () => {
    await http.close();
    await gateway.apollo.stop();
  });
}

main().catch((err) => {
  log.error('failed to start', err);
  process.exit(1);
});
