import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generatePrivateJwk, publicJwk } from '@streaming/platform';
import { ROOT, runUntilReady, type RunningProcess } from './support/processes';

/**
 * Sandbox in development opens ready to use: the gateway process, as `npm start` runs it (built
 * entry point, the demo token made by scripts/demoToken.mjs from the development key under
 * DATA_DIR and handed over as SANDBOX_DEMO_TOKEN), serves a landing page holding the HomeScreen
 * document, its variables and the Authorization header; the token is one the gateway accepts.
 * In production the landing page is off, and a demo token is refused outright.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-'));
const running: RunningProcess[] = [];
afterAll(async () => {
  for (const p of running) {
    p.child.kill('SIGTERM');
    await p.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

// Subgraphs aren't needed to serve the landing page or check a token: none are running.
const NO_SUBGRAPHS = {
  PROFILE_URL: 'http://127.0.0.1:9/graphql', CATALOG_URL: 'http://127.0.0.1:9/graphql',
  PLAYBACK_SESSION_URL: 'http://127.0.0.1:9/graphql', RECOMMENDATION_URL: 'http://127.0.0.1:9/graphql',
  PORT: '0', HOST: '127.0.0.1', METRICS_PORT: '0',
};

function demoToken(env: Record<string, string>): { token: string; status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/demoToken.mjs')], { cwd: ROOT, env: { ...process.env, NODE_ENV: '', ...env }, encoding: 'utf8' });
  return { token: result.stdout.trim(), status: result.status, stderr: result.stderr };
}

async function startGateway(env: Record<string, string>): Promise<string> {
  const gateway = runUntilReady('gateway/dist/index.js', { ...NO_SUBGRAPHS, NODE_ENV: '', ...env });
  running.push(gateway);
  return gateway.ready;
}

const landingPage = (url: string) => fetch(url, { headers: { accept: 'text/html' } });

it('in development, opens on HomeScreen with its variables and the demo token in the headers, and the token works', async () => {
  const { token, status } = demoToken({ DATA_DIR: dataDir });
  expect(status).toBe(0);
  expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  const url = await startGateway({ DATA_DIR: dataDir, SANDBOX_DEMO_TOKEN: token });

  const response = await landingPage(url);
  expect(response.status).toBe(200);
  const html = await response.text();
  const config = /var embeddedSandboxConfig = (\{.*\});/.exec(html);
  expect(config).not.toBeNull();
  const initialState = JSON.parse(config![1]).initialState;
  expect(initialState.document).toBe(readFileSync(path.join(ROOT, 'operations/HomeScreen.graphql'), 'utf8'));
  expect(initialState.document).toMatch(/query HomeScreen\(\$profileId: ID!/);
  expect(initialState.variables).toEqual({ profileId: 'demo-premium-1' });
  expect(initialState.headers).toEqual({ Authorization: `Bearer ${token}` });

  // The first click is signed in: the gateway verifies the token (a tampered one is 401).
  const ask = (authorization: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query: '{ __typename }' }) });
  expect((await ask(`Bearer ${token}`)).status).toBe(200);
  expect((await ask(`Bearer ${token.slice(0, -4)}AAAA`)).status).toBe(401);
});

it('in development without a demo token, still opens on HomeScreen, with no Authorization header', async () => {
  const url = await startGateway({ DATA_DIR: dataDir });
  const html = await (await landingPage(url)).text();
  const initialState = JSON.parse(/var embeddedSandboxConfig = (\{.*\});/.exec(html)![1]).initialState;
  expect(initialState).toMatchObject({ variables: { profileId: 'demo-premium-1' } });
  expect(initialState.document).toMatch(/query HomeScreen/);
  expect(initialState.headers).toBeUndefined();
});

describe('production', () => {
  // Production requires every secret; this one only lets the gateway start.
  const INTERNAL_AUTH_SECRET = 'sandbox-test-internal-secret-0123456789abcdef';
  let jwks: string;
  beforeAll(async () => (jwks = JSON.stringify({ keys: [publicJwk(await generatePrivateJwk('sandbox-test'))] })));

  it('disables the landing page', async () => {
    const url = await startGateway({ NODE_ENV: 'production', AUTH_JWKS: jwks, INTERNAL_AUTH_SECRET });
    const response = await landingPage(url);
    const body = await response.text();
    expect(body).not.toMatch(/embeddableSandbox|Authorization|HomeScreen/);
    // No page: a GET without an operation is a GraphQL request missing its query, answered in JSON.
    expect({ status: response.status, code: JSON.parse(body).errors[0].extensions.code }).toEqual({ status: 400, code: 'BAD_REQUEST' });
  });

  it('refuses to start with a demo token, and the script makes none', () => {
    const gateway = spawnSync(process.execPath, [path.join(ROOT, 'gateway/dist/index.js')], {
      cwd: ROOT, env: { ...process.env, ...NO_SUBGRAPHS, LOG_LEVEL: 'info', NODE_ENV: 'production', AUTH_JWKS: jwks, INTERNAL_AUTH_SECRET, SANDBOX_DEMO_TOKEN: 'x.y.z' }, encoding: 'utf8', timeout: 60_000,
    });
    expect(gateway.status).not.toBe(0);
    expect(`${gateway.stdout}${gateway.stderr}`).toMatch(/SANDBOX_DEMO_TOKEN is refused when NODE_ENV=production/);
    expect(demoToken({ NODE_ENV: 'production', AUTH_JWKS: jwks })).toMatchObject({ token: '', status: 1, stderr: expect.stringMatching(/none in production/) });
  });
});

