import '@streaming/shared/dist/observability/register';
import { readFileSync } from 'node:fs';
import { createAuthServices, createLogger, listen, stopOnSignals } from '@streaming/shared';
import { gatewayConfigFromEnv } from './config';
import { createGateway } from './server';

const log = createLogger('gateway');

async function main(): Promise<void> {
  const config = gatewayConfigFromEnv();
  const auth = await createAuthServices({ config: config.auth, redisUrl: config.redisUrl, keyPrefix: config.cacheKeyPrefix, component: 'gateway' });
  const gateway = await createGateway(
    {
      supergraphSdl: readFileSync(config.supergraphPath, 'utf8'),
      subgraphUrls: config.subgraphUrls,
      production: config.production,
      entityCache: config.entityCache,
      demand: config.demand,
      redisUrl: config.redisUrl,
      keyPrefix: config.cacheKeyPrefix,
      telemetry: config.telemetry,
    },
    { verifier: auth.verifier, verify: config.verifyTokensAtGateway },
  );
  const http = await listen(gateway.app, { port: config.port, host: config.host });
  log.info(`ready at ${http.url}${config.production ? '' : ' (open it in a browser for Apollo Sandbox)'}`);
  stopOnSignals(log, async () => {
    await http.close();
    await gateway.stop();
    await auth.close();
  });
}

main().catch((err) => {
  log.error('failed to start', err);
  process.exit(1);
});
