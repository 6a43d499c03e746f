import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import Redis from 'ioredis';

const run = promisify(execFile);

/** One redis-server of the test cluster. */
export interface ClusterNode {
  port: number;
  process: ChildProcess;
  /** Set once it has been killed (a fault) or stopped. */
  exited: Promise<void>;
}

export interface RedisClusterHarness {
  /** `127.0.0.1:<port>` of every node, for REDIS_CLUSTER_NODES. */
  nodes: string[];
  /** The `redis-cluster://` URL the services take (what REDIS_CLUSTER_NODES turns into). */
  url: string;
  /** Ports of the masters now, as the cluster itself reports them. */
  masters(): Promise<number[]>;
  /** The port of the master serving `key` now. */
  masterOf(key: string): Promise<number>;
  /** SIGKILLs the node on `port` (a crash, no shutdown), and waits until it is gone. */
  kill(port: number): Promise<void>;
  /** The port of the replica of the master on `port`. */
  replicaOf(port: number): Promise<number>;
  /** SIGSTOPs / SIGCONTs the node on `port`: a replica that falls behind, then catches up. */
  pause(port: number): void;
  resume(port: number): void;
  /** Closes the master's replication links (CLIENT KILL TYPE replica): what it takes next reaches no replica until they reconnect. */
  cutReplicas(port: number): Promise<void>;
  /** Resolves once every slot is served and the cluster reports itself healthy to every live node. */
  healthy(timeoutMs?: number): Promise<void>;
  /** Stops every node it started (by pid) and removes its directory. */
  stop(): Promise<void>;
}

/** A port that is free now, with its cluster bus port (port + 10000) free too. */
async function freePort(taken: Set<number>): Promise<number> {
  const probe = (port: number) => new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (taken.has(port) || taken.has(port + 10_000) || taken.has(port - 10_000)) continue;
    if ((await probe(port)) && (await probe(port + 10_000))) return port;
  }
  throw new Error('no free port pair for a Redis Cluster node');
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One command to one node on a short-lived connection (never left open). */
async function ask(port: number, ...args: string[]): Promise<unknown> {
  const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await redis.call(args[0], ...args.slice(1));
  } finally {
    redis.disconnect();
  }
}

/**
 * Starts a real Redis Cluster of `masters` masters with one replica each, from `redis-server` on
 * free ports in a temporary directory, created with `redis-cli --cluster create`. Nothing is kept
 * on disk but the nodes' cluster state; the shared Redis on 6379 is never touched. `stop()` ends
 * exactly the processes started here, by their pid.
 *
 * `nodeTimeoutMs` is how long a master may be unreachable before its replica takes over: short
 * for failover tests, longer where a loaded machine must not see a failover nobody asked for.
 */
export async function startRedisCluster(options: { masters?: number; nodeTimeoutMs?: number } = {}): Promise<RedisClusterHarness> {
  const count = (options.masters ?? 3) * 2;
  const dir = await mkdtemp(path.join(tmpdir(), 'redis-cluster-'));
  const nodes: ClusterNode[] = [];
  const taken = new Set<number>();
  const stop = async () => {
    // A paused node ignores SIGTERM but not SIGKILL; SIGCONT first all the same, so it can exit.
    for (const node of nodes) if (node.process.exitCode === null && node.process.signalCode === null) node.process.kill('SIGCONT');
    for (const node of nodes) if (node.process.exitCode === null && node.process.signalCode === null) node.process.kill('SIGKILL');
    await Promise.all(nodes.map((node) => node.exited));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < count; i += 1) {
      const port = await freePort(taken);
      taken.add(port);
      const nodeDir = path.join(dir, String(port));
      await mkdir(nodeDir);
      const child = spawn('redis-server', [
        '--port', String(port), '--bind', '127.0.0.1', '--dir', nodeDir, '--save', '', '--appendonly', 'no',
        '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(options.nodeTimeoutMs ?? 5_000),
        '--logfile', path.join(nodeDir, 'redis.log'),
      ], { stdio: 'ignore' });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      nodes.push({ port, process: child, exited });
    }
    for (const node of nodes) await until(`node ${node.port} answers`, async () => (await ask(node.port, 'PING')) === 'PONG', 20_000);
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes'], { timeout: 60_000 });
    const harness: RedisClusterHarness = {
      nodes: addresses,
      url: `redis-cluster://${addresses.join(',')}`,
      async masters() {
        const live = nodes.find((n) => n.process.exitCode === null && n.process.signalCode === null)!;
        const text = String(await ask(live.port, 'CLUSTER', 'NODES'));
        return text.split('\n').map((line) => line.split(' ')).filter((parts) => {
          const flags = (parts[2] ?? '').split(',');
          return flags.includes('master') && !flags.some((f) => f.startsWith('fail')) && parts.length > 8;
        }).map((parts) => Number(parts[1].split('@')[0].split(':')[1]));
      },
      async masterOf(key) {
        const live = nodes.find((n) => n.process.exitCode === null && n.process.signalCode === null)!;
        const slot = Number(await ask(live.port, 'CLUSTER', 'KEYSLOT', key));
        const shards = (await ask(live.port, 'CLUSTER', 'SLOTS')) as [number, number, [string, number, string]][];
        const range = shards.find(([from, to]) => slot >= from && slot <= to);
        if (!range) throw new Error(`slot ${slot} is not served`);
        return Number(range[2][1]);
      },
      async replicaOf(port) {
        const live = nodes.find((n) => n.process.exitCode === null && n.process.signalCode === null && n.port !== port)!;
        const lines = String(await ask(live.port, 'CLUSTER', 'NODES')).split('\n').map((line) => line.split(' '));
        const master = lines.find((parts) => parts[1]?.split('@')[0].endsWith(`:${port}`));
        const replica = lines.find((parts) => master && parts[3] === master[0]);
        if (!replica) throw new Error(`no replica of ${port}`);
        return Number(replica[1].split('@')[0].split(':')[1]);
      },
      async cutReplicas(port) {
        await ask(port, 'CLIENT', 'KILL', 'TYPE', 'replica');
      },
      pause(port) {
        nodes.find((n) => n.port === port)?.process.kill('SIGSTOP');
      },
      resume(port) {
        nodes.find((n) => n.port === port)?.process.kill('SIGCONT');
      },
      async kill(port) {
        const node = nodes.find((n) => n.port === port);
        if (!node) throw new Error(`no node on ${port}`);
        node.process.kill('SIGKILL');
        await node.exited;
      },
      async healthy(timeoutMs = 60_000) {
        await until('the cluster is healthy', async () => {
          const live = nodes.filter((n) => n.process.exitCode === null && n.process.signalCode === null);
          for (const node of live) {
            const info = String(await ask(node.port, 'CLUSTER', 'INFO'));
            if (!info.includes('cluster_state:ok') || !info.includes('cluster_slots_ok:16384')) return false;
          }
          // Every live master has its replica attached and in sync (a write it acknowledges has a copy).
          for (const port of await harness.masters()) {
            const replication = String(await ask(port, 'INFO', 'replication'));
            const expected = live.length === nodes.length ? 1 : 0;
            if ((replication.match(/state=online/g) ?? []).length < expected) return false;
          }
          return true;
        }, timeoutMs);
      },
      stop,
    };
    await harness.healthy();
    return harness;
  } catch (err) {
    await stop();
    throw err;
  }
}
