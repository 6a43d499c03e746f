// The bench's own redis-server (unless BENCH_REDIS_URL names one): a server nothing else talks to,
// so that INFO commandstats around a measured run counts exactly the commands the stack sent for
// it (the capacity model's Redis commands per home screen). No persistence, a free port, stopped
// by its pid afterwards.
import { spawn } from 'node:child_process';
import Redis from 'ioredis';
import { freePort } from './system.mjs';

/** Starts redis-server on a free port; resolves { url, stop } once it answers PING. */
export async function startOwnRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i += 1) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {}); // refused until it listens: expected, retried below
    const ok = await probe.connect().then(() => probe.ping()).then(() => true, () => false);
    probe.disconnect();
    if (ok) break;
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}) on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** Calls per command from INFO commandstats ({ get: 120, evalsha: 4, ... }). */
export async function commandStats(redis) {
  const out = {};
  for (const line of (await redis.info('commandstats')).split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}
