// The four subgraphs as production processes on fresh databases `<dbPrefix>_*` and a Redis key
// prefix of their own, and one gateway process over them: what the one-off bench scripts
// (coldStart.mjs, deferTiming.mjs) measure against. dropStack() stops every process they
// spawned and drops the databases and keys.
import { createRequire } from 'node:module';
import path from 'node:path';
import Redis from 'ioredis';
import pg from 'pg';
import { freePort, ROOT, spawned, startProcess, stopProcess } from './system.mjs';

const require = createRequire(import.meta.url);
const { envPrefix, databaseName } = require(path.join(ROOT, 'packages/platform/dist/config.js'));
const { deleteKeysWithPrefix } = require(path.join(ROOT, 'packages/platform/dist/cache/deleteKeysWithPrefix.js'));

export const SUBGRAPHS = ['profile', 'catalog', 'playback-session', 'recommendation'];
export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379';

function baseEnv() {
  const env = { ...process.env, LOG_LEVEL: 'info' };
  delete env.JEST_WORKER_ID;
  return env;
}

/** Starts the subgraphs (seeded at `scale` on first start); resolves to their URLs once each says ready. */
export async function startSubgraphProcesses({ auth, dbPrefix, keyPrefix, scale, secret, log = () => {} }) {
  const ports = {};
  for (const name of SUBGRAPHS) ports[name] = await freePort();
  const urls = Object.fromEntries(SUBGRAPHS.map((n) => [n, `http://127.0.0.1:${ports[n]}/graphql`]));
  const env = {
    ...baseEnv(), ...auth.env, NODE_ENV: 'production', POSTGRES_URL, DATABASE_PREFIX: dbPrefix, REDIS_URL, CACHE_KEY_PREFIX: keyPrefix,
    SEED_IF_EMPTY: 'true', SEED_SCALE: String(scale),
    MANIFEST_SIGNING_SECRET: `${secret}-manifest-secret-0123456789`, CURSOR_SIGNING_SECRET: `${secret}-cursor-secret-0123456789`,
  };
  for (const n of SUBGRAPHS) {
    env[`${envPrefix(n)}_PORT`] = String(ports[n]);
    env[`${envPrefix(n)}_URL`] = urls[n];
  }
  await Promise.all(SUBGRAPHS.map((name) => startProcess({ name, args: [`subgraphs/${name}/dist/index.js`], env, ready: /ready at /, timeoutMs: 600_000, log })));
  return urls;
}

/** One gateway process over `urls`, with `env` on top of the bench's; resolves once /health/ready says 200. */
export async function startGatewayProcess({ name, urls, auth, keyPrefix, supergraphPath, env = {}, log = () => {} }) {
  const port = await freePort();
  const all = {
    ...baseEnv(), ...auth.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', SUPERGRAPH_PATH: supergraphPath, METRICS_PORT: '0',
    REDIS_URL, CACHE_KEY_PREFIX: keyPrefix, GATEWAY_WORKERS: '1', RATE_LIMIT_REQUESTS: '1000000000', ...env,
  };
  for (const n of SUBGRAPHS) all[`${envPrefix(n)}_URL`] = urls[n];
  const spawnedAt = performance.now();
  const proc = await startProcess({ name, args: ['gateway/dist/index.js'], env: all, ready: /ready at /, timeoutMs: 120_000, log });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    const res = await fetch(`${base}/health/ready`).catch(() => undefined);
    if (res?.status === 200) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { proc, url: `${base}/graphql`, readyMs: performance.now() - spawnedAt };
}

/** Stops every spawned process, deletes the key prefix and drops the databases. */
export async function dropStack({ dbPrefix, keyPrefix }) {
  await Promise.all([...spawned].map((s) => stopProcess(s).catch(() => undefined)));
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect().then(() => deleteKeysWithPrefix(redis, keyPrefix)).catch(() => undefined);
  redis.disconnect();
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  for (const n of SUBGRAPHS) await client.query(`DROP DATABASE IF EXISTS "${databaseName(n, dbPrefix)}" WITH (FORCE)`).catch(() => undefined);
  await client.end();
}

/** Runs `main`, then drops the stack (also on Ctrl-C) and exits: 0, or 1 if `main` threw. */
export async function runThenDrop(main, stack) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { dropStack(stack).finally(() => process.exit(130)); });
  let exitCode = 0;
  try {
    await main();
  } catch (err) {
    console.error(err);
    exitCode = 1;
  } finally {
    await dropStack(stack);
  }
  process.exit(exitCode);
}
