// The bench authenticates like a real client: every request carries `Authorization: Bearer
// <access token>` of the account it asks about. The run makes its own key pair (the processes
// run with NODE_ENV=production, which requires AUTH_JWKS and AUTH_SIGNING_KEY) and signs tokens
// up front, so signing is not part of what is measured; verifying is.
// Each account has TOKENS_PER_ACCOUNT tokens (sessions) and its requests take them in turn: with
// rotations of hundreds of accounts, no two requests in flight carry the same Authorization
// header, so no gateway can deduplicate fetches (as ChilliCream's gateway benchmark ensures with
// a header per request); each token is still reused, as a client's is over its lifetime, so a
// gateway's cache of verified tokens works as it would in production.
// Production also requires INTERNAL_AUTH_SECRET, the credential every gateway (ours, stock,
// Hive: see gateways/internalCredential.mjs) presents to the subgraphs.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from './system.mjs';

const require = createRequire(import.meta.url);
const TOKEN_HOURS = 6;
const TOKENS_PER_ACCOUNT = 4;

export async function createBenchAuth(dataset) {
  const shared = require(path.join(ROOT, 'packages/platform/dist/index.js'));
  const privateJwk = await shared.generatePrivateJwk(`bench-${Date.now().toString(36)}`);
  const config = shared.authConfigFromEnv({});
  const keys = await shared.keysFromPrivateJwk(privateJwk);
  const issuer = new shared.TokenIssuer(keys.signing, { issuer: config.issuer, audience: config.audience, ttlSeconds: TOKEN_HOURS * 3600 });
  const ownerOf = new Map(dataset.profiles.map((p) => [p.id, p.accountId]));
  const tokens = new Map();
  for (const account of dataset.accounts) {
    const own = [];
    for (let i = 0; i < TOKENS_PER_ACCOUNT; i += 1) own.push((await issuer.issue(account.id, `bench-${account.id}-${i}`)).token);
    tokens.set(account.id, { own, next: 0 });
  }
  const tokenOf = (accountId) => {
    const t = tokens.get(accountId);
    return t.own[t.next++ % t.own.length];
  };

  /** The account a request is about: its accountId, or the owner of its profile (vars or, for a session's later steps, ctx). */
  const accountFor = (vars = {}, ctx = {}) =>
    vars.accountId ?? ownerOf.get(vars.profileId ?? vars.input?.profileId ?? ctx.profileId) ?? 'demo-premium';
  return {
    env: { AUTH_SIGNING_KEY: JSON.stringify(privateJwk), AUTH_JWKS: JSON.stringify(keys.jwks), INTERNAL_AUTH_SECRET: randomBytes(32).toString('base64url') },
    headers: (vars, ctx) => ({ authorization: `Bearer ${tokenOf(accountFor(vars, ctx))}` }),
  };
}
