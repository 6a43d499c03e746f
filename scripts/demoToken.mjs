#!/usr/bin/env node
// A development access token for demo-premium, signed with the development key under DATA_DIR
// (made on first use, as the processes do), so Sandbox and curl work without signing in first.
// `npm start` hands it to the gateway as SANDBOX_DEMO_TOKEN, which puts it in Sandbox's headers;
// `npm run --silent auth:demo-token` prints a fresh one (they last DEMO_TOKEN_HOURS). Never in
// production: there the signing key is the profile subgraph's alone.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO_TOKEN_HOURS = 4;
export const DEMO_ACCOUNT = 'demo-premium';

/** The token, or undefined (with the reason on stderr) in production or without a signing key. */
export async function demoToken(env = process.env) {
  if (env.NODE_ENV === 'production') {
    console.error('[demo-token] none in production: tokens come from signIn');
    return undefined;
  }
  try {
    const platform = createRequire(import.meta.url)(path.join(root, 'packages/platform/dist/index.js'));
    const config = platform.authConfigFromEnv(env);
    const keys = await platform.loadAuthKeys(config, true);
    const issuer = new platform.TokenIssuer(keys.signing, { issuer: config.issuer, audience: config.audience, ttlSeconds: DEMO_TOKEN_HOURS * 3600 });
    return (await issuer.issue(DEMO_ACCOUNT, `demo-${randomUUID()}`)).token;
  } catch (err) {
    console.error(`[demo-token] no demo token: ${err.message}`);
    return undefined;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const token = await demoToken();
  if (token) console.log(token);
  process.exit(token ? 0 : 1);
}
