#!/usr/bin/env node
// `npm run auth:keys`: every secret the production stack needs, fresh, as the env lines the
// processes read (README, "Production secrets"). Prints a .env for docker compose:
//   npm run --silent auth:keys > .env
//   AUTH_SIGNING_KEY, AUTH_JWKS   an Ed25519 key for access tokens and its public JWKS
//   MANIFEST_SIGNING_SECRET       HMAC key of playback manifest URLs (playback-session)
//   INTERNAL_AUTH_SECRET          HMAC key of the credential the gateway and subgraphs call subgraphs with
//   CURSOR_SIGNING_SECRET         HMAC key of home-row paging cursors (recommendation)
// To rotate the token key: `--keep <current AUTH_JWKS>` prints only a new AUTH_SIGNING_KEY and a
// JWKS holding old and new public keys; publish that JWKS everywhere, switch AUTH_SIGNING_KEY,
// then drop the old key 15 minutes later. The other secrets stay as they are.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { keep: { type: 'string' } } });
const { privateKey } = generateKeyPairSync('ed25519');
const kid = `key-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'EdDSA' };
const { d: _private, ...publicJwk } = jwk;
const kept = values.keep ? JSON.parse(values.keep).keys : [];
const jwks = { keys: [...kept.filter((k) => k.kid !== kid), { ...publicJwk, use: 'sig' }] };
// 256 random bits each: HMAC-SHA256 keys as long as the hash.
const secret = () => randomBytes(32).toString('base64url');
// Single quotes: docker compose's .env takes the JSON literally.
console.log(`AUTH_SIGNING_KEY='${JSON.stringify(jwk)}'`);
console.log(`AUTH_JWKS='${JSON.stringify(jwks)}'`);
if (!values.keep) {
  console.log(`MANIFEST_SIGNING_SECRET='${secret()}'`);
  console.log(`INTERNAL_AUTH_SECRET='${secret()}'`);
  console.log(`CURSOR_SIGNING_SECRET='${secret()}'`);
}
