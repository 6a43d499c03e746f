import '@streaming/platform/dist/observability/register';
import { readFileSync } from 'node:fs';
import { createAuthServices, createLogger, listen, stopOnSignals } from '@streaming/platform';
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
      resilience: config.resilience,
      redisUrl: config.redisUrl,
      keyPrefix: config.cacheKeyPrefix,
      lastGood: config.lastGood,
      telemetry: config.telemetry,
      internalAuth: config.internalAuth,
    },
    { verifier: auth.verifier, verify: config.verifyTokensAtGateway },
  );
  // Metrics first: a port conflict there stops the start before the gateway says it is ready.
  const metrics = gateway.metrics && (await listen(gateway.metrics, config.metricsListener));
  if (metrics) log.info(`metrics at ${metrics.url}metrics (admin listener, not the public port)`);
  const http = await listen(gateway.app, { port: config.port, host: config.host });
  log.info(`ready at ${http.url}${config.production ? '' : ' (open it in a browser for Apollo Sandbox)'}`);
  stopOnSignals(log, async () => {
    gateway.health.markDraining();
    await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
    // In-flight requests end by their deadline, so they get their answer before the cut.
    await http.close(config.resilience.requestDeadlineMs + 2_000);
    await metrics?.close(1_000);
    await gateway.stop();
    await auth.close();
  });
}

main().catch((err) => {
  log.error('failed to start', err);
  process.exit(1);
});
