import '@streaming/platform/dist/observability/register';
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { createAuthServices, createLogger, listen, stopOnSignals } from '@streaming/platform/core';
import { gatewayConfigFromEnv, type GatewayConfig } from './config';
import { setHeapGrowth } from './workers/heapGrowth';
import { createGateway } from './server';
import { reportWorkerReady, runWorkers } from './workers/runWorkers';

const log = createLogger('gateway');

async function serve(config: GatewayConfig): Promise<void> {
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
      sandbox: config.sandbox,
      executor: config.executor,
      compression: config.compression,
      planWarmup: config.planWarmup,
      concurrency: config.concurrency,
    },
    { verifier: auth.verifier, verify: config.verifyTokensAtGateway },
  );
  // Metrics first: a port conflict there stops the start before the gateway says it is ready.
  const metrics = gateway.metrics && (await listen(gateway.metrics, config.metricsListener));
  if (metrics) log.info(`metrics at ${metrics.url}metrics (admin listener, not the public port)`);
  const http = await listen(gateway.app, { port: config.port, host: config.host });
  if (cluster.isWorker) {
    // The primary says "ready at" once every worker serves.
    log.info(`worker ${cluster.worker?.id} (pid ${process.pid}) serving at ${http.url}`);
    reportWorkerReady(http.url);
  } else log.info(`ready at ${http.url}${config.production ? '' : ' (open it in a browser for Apollo Sandbox)'}`);
  stopOnSignals(log, async () => {
    gateway.health.markDraining();
    await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
    // In-flight requests end by their deadline, so they get their answer before the cut.
    await http.close(drainMs(config));
    await metrics?.close(1_000);
    await gateway.stop();
    await auth.close();
  });
}

/** How long in-flight requests may take once the listener closes. */
const drainMs = (config: GatewayConfig) => config.resilience.requestDeadlineMs + 2_000;

async function main(): Promise<void> {
  // Parsed in the primary too, so a configuration error fails once, before any worker forks.
  const config = gatewayConfigFromEnv();
  // Every process runs main, workers too: each sets its own heap.
  setHeapGrowth(config.heapGrowth);
  if (cluster.isPrimary && config.workers > 1) {
    runWorkers({ workers: config.workers, stopTimeoutMs: config.shutdownDelayMs + drainMs(config) + 5_000, log });
    return;
  }
  await serve(config);
}

main().catch((err) => {
  log.error('failed to start', err);
  process.exit(1);
});
