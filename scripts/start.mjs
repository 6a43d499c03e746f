#!/usr/bin/env node
// `npm start`: the four subgraphs and the gateway, with their output in one terminal.
// With REDIS_URL, each subgraph is its own process, as in production. Without it (the embedded
// default) the four subgraphs share one process: the in-memory cache and event bus only connect
// what shares a process (see packages/embedded). Stores are PGlite unless POSTGRES_URL or
// <NAME>_DATABASE_URL say otherwise. Ctrl-C stops them all.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

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
// Four subgraphs and the gateway each print one "ready at" line, however they are grouped.
const EXPECTED_READY = 5;

// One terminal for five processes: readable lines there, JSON (for a log pipeline) otherwise.
const childEnv = { ...process.env };
if (!childEnv.LOG_FORMAT && process.stdout.isTTY) childEnv.LOG_FORMAT = 'pretty';

const children = new Map();
let ready = 0;
let stopping = false;

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5_000).unref();
  Promise.all([...children.values()].map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r))))).then(() => process.exit(code));
}

for (const [name, file] of entries) {
  const child = spawn(process.execPath, [path.join(root, file)], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  children.set(name, child);
  const relay = (stream, out) => {
    let buffer = '';
    stream.on('data', (chunk) => {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        out.write(`${line}\n`);
        if (/ready at /.test(line) && ++ready === EXPECTED_READY) void banner();
      }
    });
  };
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[start] ${name} exited (${signal ?? code}); stopping the others`);
    stopAll(code || 1);
  });
}

const DEMO_TOKEN_HOURS = 4;

/**
 * Development only: an access token for demo-premium, signed with the development key the
 * processes just loaded, so Sandbox works without a sign-in first. Production prints none.
 */
async function demoToken() {
  if (process.env.NODE_ENV === 'production') return undefined;
  try {
    const shared = createRequire(import.meta.url)(path.join(root, 'packages/shared/dist/index.js'));
    const config = shared.authConfigFromEnv(process.env);
    const keys = await shared.loadAuthKeys(config, true);
    const issuer = new shared.TokenIssuer(keys.signing, { issuer: config.issuer, audience: config.audience, ttlSeconds: DEMO_TOKEN_HOURS * 3600 });
    return (await issuer.issue('demo-premium', `demo-${randomUUID()}`)).token;
  } catch (err) {
    console.error(`[start] no demo token: ${err.message}`);
    return undefined;
  }
}

async function banner() {
  const port = process.env.PORT || process.env.GATEWAY_PORT || 4000;
  const token = await demoToken();
  const auth = token
    ? `
    Demo access token (demo-premium, valid ${DEMO_TOKEN_HOURS} hours). In Sandbox, Headers: Authorization = Bearer <token>
      ${token}`
    : '';
  console.log(`
  Streaming supergraph is up.
    Apollo Sandbox / GraphQL endpoint:  http://localhost:${port}/
    Sign in:  mutation { signIn(email: "demo-premium@example.com", password: "streaming-demo") { accessToken refreshToken } }
    Demo accounts:  demo-basic, demo-standard, demo-premium (@example.com, password streaming-demo)
    Demo profiles:  demo-premium-1 .. demo-premium-4, demo-premium-kids (kids), demo-standard-1, demo-basic-1${auth}
    Try:  query { profile(id: "demo-premium-1") { name homeRows(first: 3, itemsPerRow: 5) { title items { name } } } }
  Ctrl-C stops everything.
`);
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
