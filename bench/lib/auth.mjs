// The bench authenticates like a real client: every request carries `Authorization: Bearer
// <access token>` of the account it asks about. The run makes its own key pair (the processes
// run with NODE_ENV=production, which requires AUTH_JWKS and AUTH_SIGNING_KEY) and signs one
// token per account up front, so signing is not part of what is measured; verifying is.
// Production also requires INTERNAL_AUTH_SECRET, the credential every gateway (ours, stock,
// Hive: see gateways/internalCredential.mjs) presents to the subgraphs.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from './system.mjs';

const require = createRequire(import.meta.url);
const TOKEN_HOURS = 6;

export async function createBenchAuth(dataset) {
  const shared = require(path.join(ROOT, 'packages/platform/dist/index.js'));
  const privateJwk = await shared.generatePrivateJwk(`bench-${Date.now().toString(36)}`);
  const config = shared.authConfigFromEnv({});
  const keys = await shared.keysFromPrivateJwk(privateJwk);
  const issuer = new shared.TokenIssuer(keys.signing, { issuer: config.issuer, audience: config.audience, ttlSeconds: TOKEN_HOURS * 3600 });
  const ownerOf = new Map(dataset.profiles.map((p) => [p.id, p.accountId]));
  const tokens = new Map();
  for (const account of dataset.accounts) tokens.set(account.id, (await issuer.issue(account.id, `bench-${account.id}`)).token);

  /** The account a request is about: its accountId, or the owner of its profile (vars or, for a session's later steps, ctx). */
  const accountFor = (vars = {}, ctx = {}) =>
    vars.accountId ?? ownerOf.get(vars.profileId ?? vars.input?.profileId ?? ctx.profileId) ?? 'demo-premium';
  return {
    env: { AUTH_SIGNING_KEY: JSON.stringify(privateJwk), AUTH_JWKS: JSON.stringify(keys.jwks), INTERNAL_AUTH_SECRET: randomBytes(32).toString('base64url') },
    headers: (vars, ctx) => ({ authorization: `Bearer ${tokens.get(accountFor(vars, ctx))}` }),
  };
}
