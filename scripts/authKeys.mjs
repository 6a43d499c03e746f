#!/usr/bin/env node
// `npm run auth:keys`: a fresh Ed25519 signing key for production, as the env lines the
// processes read (README, "Identity"). Prints a .env for docker compose:
//   npm run --silent auth:keys > .env
// To rotate: generate a new key, publish old and new public keys together in AUTH_JWKS
// (`--keep <current AUTH_JWKS>`), switch AUTH_SIGNING_KEY, then drop the old key 15 minutes later.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { keep: { type: 'string' } } });
const { privateKey } = generateKeyPairSync('ed25519');
const kid = `key-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'EdDSA' };
const { d: _private, ...publicJwk } = jwk;
const kept = values.keep ? JSON.parse(values.keep).keys : [];
const jwks = { keys: [...kept.filter((k) => k.kid !== kid), { ...publicJwk, use: 'sig' }] };
// Single quotes: docker compose's .env takes the JSON literally.
console.log(`AUTH_SIGNING_KEY='${JSON.stringify(jwk)}'`);
console.log(`AUTH_JWKS='${JSON.stringify(jwks)}'`);
