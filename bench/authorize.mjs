#!/usr/bin/env node
// `npm run --workspace bench authorize [-- --duration 10 --connections 10]` (after `npm run build`):
// what the playback authorization check (POST /playback/authorize) costs per request, the figure
// that decides whether an edge can ask it per segment. The endpoint runs as it ships (the
// playback-session route, PlaybackAuthorizer, RedisSessionStore) in a process of its own, on an
// Express app with nothing else in front, against a redis-server this script starts on a free
// port (so INFO commandstats counts only this run's commands) and stops by pid. Load: closed-loop
// undici clients in this process, each timing its own requests (autocannon records only 2xx
// latencies, at 1 ms resolution; the deny paths answer 403 in well under that).
import { execFileSync, spawn } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { Pool } from 'undici';
import { cpuMs, freePort, hasTaskset, ROOT } from './lib/system.mjs';

const { values: args } = parseArgs({
  options: {
    serve: { type: 'boolean' }, help: { type: 'boolean' },
    'redis-url': { type: 'string' }, port: { type: 'string' }, prefix: { type: 'string' },
    duration: { type: 'string' }, connections: { type: 'string' }, sessions: { type: 'string' },
  },
});
const SECRET = 'bench-authorize-secret';
const dist = (file) => `${ROOT}/subgraphs/playback-session/dist/${file}`;

if (args.help) {
  console.log(`npm run --workspace bench authorize -- [--duration <s> (10)] [--connections <n> (10)] [--sessions <n> (1000)]`);
  process.exit(0);
}
if (args.serve) await serve();
else await main();

/** The child: the authorize route over the Redis session store, on its own port. */
async function serve() {
  const { default: express } = await import('express');
  const { RedisSessionStore } = await import(dist('sessions/RedisSessionStore.js'));
  const { PlaybackAuthorizer } = await import(dist('license/PlaybackAuthorizer.js'));
  const { authorizeRoute } = await import(dist('license/authorizeRoute.js'));
  const sessions = new RedisSessionStore(args['redis-url'], args.prefix);
  await sessions.connected();
  const app = express();
  app.use(authorizeRoute(new PlaybackAuthorizer(sessions, SECRET)));
  const server = app.listen(Number(args.port), '127.0.0.1', () => console.log('ready'));
  server.keepAliveTimeout = 65_000;
  process.on('SIGTERM', () => server.close(() => sessions.close().then(() => process.exit(0))));
}

function waitForLine(child, pattern, what) {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      if (pattern.test(output)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready:\n${output}`)));
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Closed loop: `connections` clients, each sending the next body as soon as its answer is in. */
async function load(url, bodies, { connections, durationMs, expectStatus }) {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const latencies = [];
  const statuses = new Map();
  let next = 0;
  const deadline = performance.now() + durationMs;
  const client = async () => {
    while (performance.now() < deadline) {
      const body = bodies[next++ % bodies.length];
      const started = performance.now();
      const res = await pool.request({ method: 'POST', path: '/playback/authorize', headers: { 'content-type': 'application/json' }, body });
      await res.body.text();
      latencies.push(performance.now() - started);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: connections }, client));
  const seconds = (performance.now() - began) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const unexpected = [...statuses].filter(([status]) => status !== expectStatus);
  return {
    requests: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    p50Ms: Number(percentile(latencies, 50).toFixed(3)),
    p99Ms: Number(percentile(latencies, 99).toFixed(3)),
    unexpected: Object.fromEntries(unexpected),
  };
}

/**
 * Calls and Redis CPU µs per Redis command since the last CONFIG RESETSTAT (commands a script
 * runs are counted too, and their time is inside the script's).
 */
async function commandStats(redis) {
  const info = await redis.info('commandstats');
  const stats = {};
  for (const m of info.matchAll(/^cmdstat_([a-z_|]+):calls=(\d+),usec=(\d+)/gm)) stats[m[1]] = { calls: Number(m[2]), usec: Number(m[3]) };
  // The script's own RESETSTAT and INFO aren't the endpoint's.
  for (const command of Object.keys(stats)) if (/^(config|info)\b/.test(command)) delete stats[command];
  return stats;
}

async function main() {
  const durationMs = Number(args.duration ?? 10) * 1000;
  const connections = Number(args.connections ?? 10);
  const sessionCount = Number(args.sessions ?? 1000);
  const { RedisSessionStore } = await import(dist('sessions/RedisSessionStore.js'));
  const { buildManifest } = await import(dist('manifest/index.js'));

  const redisPort = await freePort();
  const redisServer = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const children = [redisServer];
  const stopAll = () => { for (const child of children) if (child.exitCode === null) child.kill('SIGTERM'); };
  process.on('exit', stopAll);
  try {
    await waitForLine(redisServer, /Ready to accept connections/, 'redis-server');
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    const prefix = 'bench:authorize:';

    // One live and one stopped session per account, each with the token its manifest carries.
    const store = new RedisSessionStore(redisUrl, prefix);
    await store.connected();
    const now = Date.now();
    const tokens = { live: [], stopped: [] };
    for (let i = 0; i < sessionCount; i += 1) {
      for (const kind of ['stopped', 'live']) {
        const id = `${kind}-${i}`;
        const accountId = `account-${i}`;
        const manifest = buildManifest({
          sessionId: id, accountId, streamLimit: 1, titleId: `title-${i % 200}`, country: 'US', maxQuality: 'HD', secret: SECRET, ttlSeconds: 3600, now: new Date(now),
        });
        await store.start({
          id, accountId, profileId: `${accountId}-1`, country: 'US', titleId: `title-${i % 200}`, episodeId: null, nextEpisodeId: null, nextEpisodeRuntime: null,
          deviceId: `device-${kind}`, state: 'PLAYING', positionSeconds: 0, durationSeconds: 5400, startedAt: new Date(now).toISOString(),
          lastHeartbeatAt: new Date(now).toISOString(), expiresAt: now + 3_600_000, streamLimit: 1, manifest,
        }, 1, now);
        if (kind === 'stopped') await store.stop(id, accountId, 60, now);
        const url = new URL(manifest.url);
        tokens[kind].push(JSON.stringify({ token: manifest.token, host: url.hostname, path: url.pathname.replace(/manifest\.mpd$/, 'video/3000/seg-00042.m4s') }));
      }
    }
    await store.close();
    const forged = tokens.live.map((body) => body.replace(/"token":"([^"]+)\.[^".]+"/, (_m, signed) => `"token":"${signed}.${Buffer.alloc(32, 1).toString('base64url')}"`));

    const port = await freePort();
    const pin = hasTaskset() ? ['taskset', ['-c', '1', process.execPath]] : [process.execPath, []];
    const server = spawn(pin[0], [...pin[1], new URL(import.meta.url).pathname, '--serve', '--redis-url', redisUrl, '--port', String(port), '--prefix', prefix], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    children.push(server);
    await waitForLine(server, /ready/, 'authorize server');
    const url = `http://127.0.0.1:${port}`;
    const admin = new Redis(redisUrl);

    const scenarios = [
      ['live session (allow, 200)', tokens.live, 200],
      ['stopped session (deny, 403)', tokens.stopped, 403],
      ['forged token (deny, 403, no Redis)', forged, 403],
    ];
    // Warm-up: JIT, connections, the script loaded into Redis.
    await load(url, tokens.live, { connections, durationMs: 2_000, expectStatus: 200 });
    const results = [];
    for (const [name, bodies, expectStatus] of scenarios) {
      await admin.config('RESETSTAT');
      const cpuBefore = cpuMs(server.pid);
      const result = await load(url, bodies, { connections, durationMs, expectStatus });
      const serverCpuUs = ((cpuMs(server.pid) - cpuBefore) * 1000) / result.requests;
      const stats = await commandStats(admin);
      const perRequest = Object.fromEntries(Object.entries(stats).map(([command, { calls }]) => [command, Number((calls / result.requests).toFixed(3))]));
      const redisUs = Object.entries(stats).filter(([command]) => command.startsWith('eval')).reduce((sum, [, { usec }]) => sum + usec, 0) / result.requests;
      results.push({ scenario: name, ...result, serverCpuUsPerRequest: Math.round(serverCpuUs), redisUsPerRequest: Number(redisUs.toFixed(1)), redisCommandsPerRequest: perRequest });
    }
    admin.disconnect();

    console.log(`\nPOST /playback/authorize: ${connections} connections, ${durationMs / 1000} s per scenario, ${sessionCount} accounts`);
    console.log(`machine: ${execFileSync('nproc').toString().trim()} cores${hasTaskset() ? ', server pinned to CPU 1' : ''}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; own redis-server\n`);
    console.log('| scenario | requests/s | p50 ms | p99 ms | server CPU µs/request | Redis µs/request | Redis commands per request (a script\'s own included) |');
    console.log('|---|---|---|---|---|---|---|');
    for (const r of results) {
      const commands = Object.entries(r.redisCommandsPerRequest).map(([c, n]) => `${c} ${n}`).join(', ') || 'none';
      console.log(`| ${r.scenario} | ${r.perSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.serverCpuUsPerRequest} | ${r.redisUsPerRequest} | ${commands} |`);
    }
    const wrong = results.filter((r) => Object.keys(r.unexpected).length);
    if (wrong.length) {
      console.error('unexpected statuses:', JSON.stringify(wrong.map((r) => [r.scenario, r.unexpected])));
      process.exitCode = 3;
    }
  } finally {
    stopAll();
  }
}
