#!/usr/bin/env node
// `npm start`: the four subgraphs and the gateway, with their output in one terminal.
// With REDIS_URL, each subgraph is its own process, as in production. Without it (the embedded
// default) the four subgraphs share one process: the in-memory cache and event bus only connect
// what shares a process (see packages/embedded). Stores are PGlite unless POSTGRES_URL or
// <NAME>_DATABASE_URL say otherwise. Ctrl-C stops them all.
//
// A process that crashes after it was up is restarted, with a growing pause (1 s, 2 s, 4 s ... 30 s;
// back to 1 s once it stays up a minute), while the others keep serving: the gateway answers what
// it can meanwhile. A process that fails before it was ever up is a configuration problem, and
// restarting it would only repeat the error: then everything stops. The "up" banner is printed
// once the gateway is ready and its /health/ready body lists every subgraph as ready (the
// gateway's readiness itself doesn't wait for them: see the README's Health).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { DEMO_ACCOUNT, DEMO_TOKEN_HOURS, demoToken } from './demoToken.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const separate = Boolean(process.env.REDIS_URL);
const entries = [
  ...(separate
    ? [
        ['profile', 'subgraphs/profile/dist/index.js'],
        ['catalog', 'subgraphs/catalog/dist/index.js'],
        ['playback-session', 'subgraphs/playback-session/dist/index.js'],
        ['recommendation', 'subgraphs/recommendation/dist/index.js'],
      ]
    : [['subgraphs', 'packages/embedded/dist/index.js']]),
  ['gateway', 'gateway/dist/index.js'],
];
const port = process.env.PORT || process.env.GATEWAY_PORT || 4000;
const readyUrl = `http://127.0.0.1:${port}/health/ready`;
const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
const STABLE_MS = 60_000;

// One terminal for five processes: readable lines there, JSON (for a log pipeline) otherwise.
const childEnv = { ...process.env };
if (!childEnv.LOG_FORMAT && process.stdout.isTTY) childEnv.LOG_FORMAT = 'pretty';

const children = new Map();
let stopping = false;

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const { child } of children.values()) if (child && child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 15_000).unref();
  Promise.all(
    [...children.values()].map(({ child }) => new Promise((r) => (!child || child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)))),
  ).then(() => process.exit(code));
}

function relay(stream, out, onLine) {
  let buffer = '';
  stream.on('data', (chunk) => {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      out.write(`${line}\n`);
      onLine(line);
    }
  });
}

function run(name, file) {
  const state = children.get(name) ?? { backoffMs: MIN_BACKOFF_MS, everUp: false };
  children.set(name, state);
  const env = name === 'gateway' ? gatewayEnv : childEnv;
  const child = spawn(process.execPath, [path.join(root, file)], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  state.child = child;
  const startedAt = Date.now();
  console.log(`[start] ${name} started (pid ${child.pid})`);
  const onLine = (line) => {
    if (/ready at /.test(line)) state.everUp = true;
  };
  relay(child.stdout, process.stdout, onLine);
  relay(child.stderr, process.stderr, onLine);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    const how = signal ?? `code ${code}`;
    if (!state.everUp) {
      console.error(`[start] ${name} exited (${how}) before it was up; stopping the others`);
      stopAll(code || 1);
      return;
    }
    if (Date.now() - startedAt > STABLE_MS) state.backoffMs = MIN_BACKOFF_MS;
    console.error(`[start] ${name} exited (${how}); restarting it in ${state.backoffMs / 1000} s, the others keep serving`);
    setTimeout(() => !stopping && run(name, file), state.backoffMs);
    state.backoffMs = Math.min(MAX_BACKOFF_MS, state.backoffMs * 2);
  });
}

async function waitUntilReady() {
  let lastReport = Date.now();
  while (!stopping) {
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(2_000) });
      const body = await response.json().catch(() => ({}));
      const subgraphs = Object.entries(body.subgraphs ?? {}).filter(([, state]) => state !== 'ready').map(([name]) => name);
      if (response.ok && subgraphs.length === 0) return true;
      if (Date.now() - lastReport > 15_000) {
        console.log(`[start] waiting for: ${[...Object.keys(body.failing ?? {}), ...subgraphs].join(', ') || body.status || response.status}`);
        lastReport = Date.now();
      }
    } catch {
      // The gateway isn't listening yet.
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

// Development only: a demo token made before the gateway starts (the signing key is made on first
// use, as the subgraphs would), handed to the gateway alone so Sandbox opens signed in.
const token = await demoToken(process.env);
const gatewayEnv = token ? { ...childEnv, SANDBOX_DEMO_TOKEN: token } : childEnv;

function banner() {
  const auth = token
    ? `
    Sandbox opens on HomeScreen, signed in as ${DEMO_ACCOUNT} (its Authorization header holds this token, valid ${DEMO_TOKEN_HOURS} hours;
    npm run --silent auth:demo-token prints a fresh one):
      ${token}`
    : '';
  console.log(`
  Streaming supergraph is up.
    Apollo Sandbox / GraphQL endpoint:  http://localhost:${port}/
    Health:  http://localhost:${port}/health/ready
    Sign in:  mutation { signIn(email: "demo-premium@example.com", password: "streaming-demo") { accessToken refreshToken } }
    Demo accounts:  demo-basic, demo-standard, demo-premium (@example.com, password streaming-demo)
    Demo profiles:  demo-premium-1 .. demo-premium-4, demo-premium-kids (kids), demo-standard-1, demo-basic-1${auth}
    Try:  query { profile(id: "demo-premium-1") { name homeRows(first: 3, itemsPerRow: 5) { title items { name } } } }
  Ctrl-C stops everything.
`);
}

for (const [name, file] of entries) run(name, file);
waitUntilReady().then((ready) => ready && banner());

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
