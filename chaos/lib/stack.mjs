// The stack the chaos run owns: its own redis-server, the four subgraphs and the gateway, each its
// own process, on the shared Postgres with databases named for this run. Process plumbing
// (freePort, startProcess, stopProcess) is the bench's, imported rather than copied.
//
// With `replicas: 2` every subgraph and the gateway run as two instances (`catalog@1`,
// `catalog@2`, `gateway@1`, ...), the instances of one subgraph share its database, and each
// service is reached through a round-robin balancer (`fronts`, set by the run) by the gateways,
// by its sibling subgraphs and, for the gateways, by the load.
import { spawn } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { request } from 'undici';
import { freePort, startProcess, stopProcess, spawned, ROOT } from '../../bench/lib/system.mjs';

const require = createRequire(import.meta.url);
export const SUBGRAPHS = ['profile', 'catalog', 'playback-session', 'recommendation'];
const { envPrefix, databaseName } = require(path.join(ROOT, 'packages/platform/dist/config.js'));
const { composeSupergraph } = require(path.join(ROOT, 'gateway/dist/composeSupergraph.js'));

export { databaseName, envPrefix };
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * GET /health/ready until it answers 200 (or the deadline passes); for the gateway, until its body
 * also lists every subgraph as ready (its own readiness doesn't wait for them).
 */
export async function waitReady(baseUrl, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await request(`${baseUrl}/health/ready`, { headersTimeout: 2000, bodyTimeout: 2000 });
      const body = await res.body.text();
      const subgraphs = Object.values(JSON.parse(body || '{}').subgraphs ?? {});
      if (res.statusCode === 200 && subgraphs.every((state) => state === 'ready')) return;
      last = `${res.statusCode} ${body.slice(0, 200)}`;
    } catch (err) {
      last = err.code ?? err.message;
    }
    await sleep(200);
  }
  throw new Error(`${what}: /health/ready not 200 after ${timeoutMs} ms (last: ${last})`);
}

export class Stack {
  /**
   * @param {object} o
   * @param {string} o.runId
   * @param {string} o.postgresUrl  the shared server (its `postgres` database, to create/drop ours)
   * @param {object} o.authEnv      AUTH_SIGNING_KEY / AUTH_JWKS for every process
   * @param {(port:number)=>Promise<{port:number}>} [o.proxyFor] started in front of `o.proxied`
   * @param {string} [o.proxied]    the subgraph the gateway reaches through the TCP proxy
   */
  constructor({ runId, postgresUrl, authEnv, proxied, log, verbose, extraEnv = {}, replicas = 1 }) {
    Object.assign(this, { runId, postgresUrl, authEnv, proxied, log, verbose, extraEnv, replicas });
    this.fronts = {}; // service -> port of the balancer in front of its instances (replicas mode)
    this.gatewayPorts = {}; // gateway instance -> port
    this.dbPrefix = `chaos_${runId}`;
    this.procs = {}; // name -> bench proc ({ child, pid, exited, tail })
    this.ports = {};
    this.redis = undefined; // { child, pid, port, exited }
    this.expectedExit = new Set(); // pids the harness itself killed or stopped
    this.crashes = []; // { name, at, exit, tail }
    this.onCrash = () => {};
    this.closing = false;
    this.stopped = new Set(); // names under SIGSTOP
  }

  get redisUrl() {
    return `redis://127.0.0.1:${this.redis.port}`;
  }

  databases() {
    return SUBGRAPHS.map((n) => databaseName(n, this.dbPrefix));
  }

  // ------------------------------------------------------------------ redis (our own)
  async startRedis(port) {
    this.redisPort = port ?? this.redisPort ?? (await freePort());
    const child = spawn('redis-server', ['--port', String(this.redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const redis = { child, pid: child.pid, port: this.redisPort, exited: false, tail: [] };
    for (const s of [child.stdout, child.stderr]) s.on('data', (c) => { redis.tail.push(String(c)); if (redis.tail.length > 20) redis.tail.shift(); });
    child.on('exit', (code, signal) => { redis.exited = true; redis.exitInfo = signal ?? code; });
    this.redis = redis;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (redis.exited) throw new Error(`redis-server exited (${redis.exitInfo}): ${redis.tail.join('')}`);
      // Ours, not whatever took the port while it was down (e.g. a test's proxy to the shared Redis).
      if ((await redisProcessId(this.redisPort)) === child.pid) return redis;
      await sleep(50);
    }
    throw new Error(`redis-server on ${this.redisPort} did not answer PING`);
  }

  async stopRedis(signal = 'SIGTERM') {
    const r = this.redis;
    if (!r || r.exited) return;
    await new Promise((resolve) => {
      const t = setTimeout(() => { try { process.kill(r.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      r.child.once('exit', () => { clearTimeout(t); resolve(); });
      try { process.kill(r.pid, signal); } catch { clearTimeout(t); resolve(); }
    });
  }

  // ------------------------------------------------------------------ subgraphs and gateway
  /** The processes that run `service`: itself, or `<service>@1`, `<service>@2`, ... */
  instancesOf(service) {
    return this.replicas === 1 ? [service] : Array.from({ length: this.replicas }, (_, i) => `${service}@${i + 1}`);
  }

  /** Where siblings reach subgraph `name`: its balancer when it has one, else its one instance. */
  subgraphUrl(name) {
    return `http://127.0.0.1:${this.fronts[name] ?? this.ports[name]}/graphql`;
  }

  /** What the gateway dials: the proxy for the proxied subgraph, the subgraph itself otherwise. */
  gatewayUrlFor(name) {
    return name === this.proxied && this.proxyPort ? `http://127.0.0.1:${this.proxyPort}/graphql` : this.subgraphUrl(name);
  }

  subgraphEnv(instance) {
    const own = serviceOf(instance);
    const env = {
      ...process.env,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      NODE_ENV: 'production',
      POSTGRES_URL: this.postgresUrl,
      DATABASE_PREFIX: this.dbPrefix,
      REDIS_URL: this.redisUrl,
      CACHE_KEY_PREFIX: 'chaos:',
      SEED_IF_EMPTY: 'true',
      SEED_SCALE: '1',
      MANIFEST_SIGNING_SECRET: `chaos-${this.runId}-${Math.random().toString(36).slice(2)}`,
      CURSOR_SIGNING_SECRET: `chaos-cursor-${this.runId}-${Math.random().toString(36).slice(2)}`,
      ...this.authEnv,
      ...this.extraEnv,
    };
    delete env.JEST_WORKER_ID;
    for (const n of SUBGRAPHS) {
      env[`${envPrefix(n)}_URL`] = this.subgraphUrl(n);
      delete env[`${envPrefix(n)}_DATABASE_URL`];
    }
    env[`${envPrefix(own)}_PORT`] = String(this.ports[instance]);
    return env;
  }

  watch(name, proc) {
    proc.child.on('exit', (code, signal) => {
      if (this.closing || this.expectedExit.has(proc.pid)) return;
      const crash = { name, at: Date.now(), exit: signal ?? code, tail: proc.tail.slice(-15) };
      this.crashes.push(crash);
      this.log(`!! ${name} exited on its own (${crash.exit})`);
      this.onCrash(crash);
    });
  }

  async startSubgraph(name, { timeoutMs = 300_000 } = {}) {
    if (this.closing) throw new Error(`not starting ${name}: the run is cleaning up`);
    const proc = await startProcess({
      name,
      args: [`subgraphs/${serviceOf(name)}/dist/index.js`],
      env: this.subgraphEnv(name),
      ready: /ready at /,
      timeoutMs,
      log: this.verbose ? this.log : () => {},
    });
    this.procs[name] = proc;
    this.watch(name, proc);
    await waitReady(`http://127.0.0.1:${this.ports[name]}`, 60_000, name);
    return proc;
  }

  /** Every instance's port, chosen before any starts (balancers and siblings need them). */
  async choosePorts() {
    for (const n of SUBGRAPHS) for (const i of this.instancesOf(n)) this.ports[i] ??= await freePort();
    for (const g of this.instancesOf('gateway')) this.gatewayPorts[g] ??= await freePort();
  }

  /**
   * Every subgraph instance. The first instance of each seeds its empty database; with replicas,
   * the others start once it is ready, so two processes never seed one database at once.
   */
  async startSubgraphs() {
    await this.choosePorts();
    await Promise.all(SUBGRAPHS.map(async (n) => {
      const [first, ...rest] = this.instancesOf(n);
      await this.startSubgraph(first);
      await Promise.all(rest.map((i) => this.startSubgraph(i)));
    }));
  }

  /** What the load sends to: the gateways' balancer, or the one gateway. */
  get gatewayUrl() {
    return `http://127.0.0.1:${this.fronts.gateway ?? this.gatewayPort}/graphql`;
  }

  get gatewayPort() {
    return this.gatewayPorts[this.instancesOf('gateway')[0]];
  }

  async startGateways(options) {
    await this.choosePorts();
    await Promise.all(this.instancesOf('gateway').map((g) => this.startGateway({ ...options, name: g })));
  }

  async startGateway({ subgraphTimeoutMs, name = 'gateway' }) {
    await this.choosePorts();
    if (!this.supergraphPath) {
      const urls = Object.fromEntries(SUBGRAPHS.map((n) => [n, this.gatewayUrlFor(n)]));
      this.supergraphPath = path.join(os.tmpdir(), `chaos-supergraph-${this.runId}.graphql`);
      writeFileSync(this.supergraphPath, composeSupergraph(urls));
    }
    const env = {
      ...process.env,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      NODE_ENV: 'production',
      PORT: String(this.gatewayPorts[name]),
      HOST: '127.0.0.1',
      // The admin listener (/metrics) on a free port: another stack may run on this machine.
      METRICS_PORT: '0',
      SUPERGRAPH_PATH: this.supergraphPath,
      REDIS_URL: this.redisUrl,
      CACHE_KEY_PREFIX: 'chaos:',
      SUBGRAPH_TIMEOUT_MS: String(subgraphTimeoutMs),
      // One process, as before GATEWAY_WORKERS: the run watches the gateway's pid for crashes (a
      // cluster would hide a worker's), and its figures (kill-catalog's stale entities) assume one
      // entity cache, not one per worker.
      GATEWAY_WORKERS: '1',
      ...this.authEnv,
      ...this.extraEnv,
    };
    delete env.JEST_WORKER_ID;
    if (this.closing) throw new Error(`not starting ${name}: the run is cleaning up`);
    for (const n of SUBGRAPHS) env[`${envPrefix(n)}_URL`] = this.gatewayUrlFor(n);
    const proc = await startProcess({
      name,
      args: ['gateway/dist/index.js'],
      env,
      ready: /ready at /,
      timeoutMs: 120_000,
      log: this.verbose ? this.log : () => {},
    });
    this.procs[name] = proc;
    this.watch(name, proc);
    await waitReady(`http://127.0.0.1:${this.gatewayPorts[name]}`, 60_000, name);
    return proc;
  }

  /** Sends a signal to a process the harness started; a kill is expected (not a crash). */
  signal(name, sig) {
    const proc = this.procs[name];
    if (!proc || proc.exited) throw new Error(`${name} is not running`);
    if (sig === 'SIGKILL' || sig === 'SIGTERM') this.expectedExit.add(proc.pid);
    if (sig === 'SIGSTOP') this.stopped.add(name);
    if (sig === 'SIGCONT') this.stopped.delete(name);
    process.kill(proc.pid, sig);
    return proc;
  }

  async killAndWait(name) {
    const proc = this.signal(name, 'SIGKILL');
    if (!proc.exited) await new Promise((r) => proc.child.once('exit', r));
  }

  // ------------------------------------------------------------------ Postgres
  async pgClient(database = 'postgres') {
    const url = new URL(this.postgresUrl);
    url.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    return client;
  }

  async query(database, text, params) {
    const client = await this.pgClient(database);
    try {
      return await client.query(text, params);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async terminateBackends(name) {
    const r = await this.query('postgres', 'select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [databaseName(name, this.dbPrefix)]);
    return r.rows[0].n;
  }

  async dropDatabases() {
    const client = await this.pgClient('postgres');
    try {
      for (const db of this.databases()) await client.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  // ------------------------------------------------------------------ teardown
  /** Every process down (frozen ones thawed first), our redis stopped; idempotent. */
  async stopAll() {
    this.closing = true;
    // Everything started and not exited, including a process still starting (a restart in flight).
    const procs = [...new Set([...Object.values(this.procs), ...spawned])].filter((p) => p && !p.exited);
    for (const p of procs) { try { process.kill(p.pid, 'SIGCONT'); } catch { /* gone */ } }
    await Promise.all(procs.map((p) => stopProcess(p, 5000).catch(() => undefined)));
    await this.stopRedis('SIGTERM').catch(() => undefined);
    if (this.supergraphPath) rmSync(this.supergraphPath, { force: true });
  }
}

/** `catalog` for `catalog@2`; a service's own name for itself. */
export const serviceOf = (instance) => instance.split('@')[0];

/** The pid of the redis-server answering on `port` (INFO server, over a raw socket), or null. */
async function redisProcessId(port) {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let text = '';
    const done = (pid) => { s.destroy(); resolve(pid); };
    s.setTimeout(500, () => done(null));
    s.on('error', () => done(null));
    s.on('connect', () => s.write('INFO server\r\n'));
    s.on('data', (d) => {
      text += String(d);
      const found = /process_id:(\d+)\r\n/.exec(text);
      if (found) done(Number(found[1]));
      else if (text.startsWith('-')) done(null);
    });
  });
}
