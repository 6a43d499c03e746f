import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, type KeyLike } from 'jose';
import type { AuthConfig } from './authConfig';

/** EdDSA (Ed25519): small keys and signatures, and the fastest of jose's asymmetric algorithms to verify. */
export const TOKEN_ALGORITHM = 'EdDSA';

export interface SigningKey {
  kid: string;
  key: KeyLike | Uint8Array;
}

/**
 * What a process needs to issue and check access tokens. Only the profile subgraph (which signs
 * people in) holds the signing key; every verifier holds the JWKS, which may list several keys
 * so that a new signing key can be rolled out before the old one's tokens have expired.
 */
export interface AuthKeys {
  signing?: SigningKey;
  jwks: JSONWebKeySet;
}

/** The public half of a private JWK, as it goes in a JWKS. */
export function publicJwk(privateJwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = privateJwk;
  return { ...rest, alg: TOKEN_ALGORITHM, use: 'sig' };
}

/** A fresh key pair as a private JWK with its kid (tests keep it in memory; dev writes it to disk). */
export async function generatePrivateJwk(kid = `key-${randomUUID()}`): Promise<JWK> {
  const { privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: TOKEN_ALGORITHM };
}

export async function keysFromPrivateJwk(privateJwk: JWK, extraVerificationKeys: JWK[] = []): Promise<AuthKeys> {
  if (!privateJwk.kid) throw new Error('the signing key (a private JWK) must have a "kid"');
  return {
    signing: { kid: privateJwk.kid, key: await importJWK(privateJwk, TOKEN_ALGORITHM) },
    jwks: { keys: [publicJwk(privateJwk), ...extraVerificationKeys] },
  };
}

function parseJson<T>(name: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    // The value may be a secret: say which variable, never echo it.
    throw new Error(`${name} is not valid JSON`);
  }
}

/**
 * Development keys: generated on first start and reused afterwards, so a restart doesn't sign
 * everyone out. Several processes may start at once (`npm start` with Redis), so the file is
 * written aside and hard-linked into place: exactly one writer wins and everyone reads its key.
 */
function devPrivateJwk(dir: string): Promise<JWK> | JWK {
  const file = path.join(dir, 'signing-key.jwk.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file} can't be read: ${(err as Error).message}`);
  }
  return (async () => {
    const jwk = await generatePrivateJwk(`dev-${randomUUID().slice(0, 8)}`);
    mkdirSync(dir, { recursive: true });
    const aside = `${file}.${process.pid}.tmp`;
    writeFileSync(aside, JSON.stringify(jwk), { mode: 0o600 });
    try {
      linkSync(aside, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(aside);
    }
    return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  })();
}

/** Loads the keys the config names. `needSigningKey` is for the one process that issues tokens. */
export async function loadAuthKeys(config: AuthConfig, needSigningKey: boolean): Promise<AuthKeys> {
  if (config.keys.kind === 'dataDir') return keysFromPrivateJwk(await devPrivateJwk(config.keys.dir));
  const jwks = parseJson<JSONWebKeySet>('AUTH_JWKS', config.keys.jwks);
  if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) throw new Error('AUTH_JWKS must be a JWKS: {"keys":[...]} with at least one public key');
  for (const key of jwks.keys) {
    if (!key.kid) throw new Error('every key in AUTH_JWKS needs a "kid"');
    if ('d' in key) throw new Error(`AUTH_JWKS key ${key.kid} contains a private key; publish only public keys`);
  }
  if (!config.keys.signingKey) {
    if (needSigningKey) throw new Error('AUTH_SIGNING_KEY (or AUTH_SIGNING_KEY_FILE) is required to issue access tokens: a private JWK with a "kid" listed in AUTH_JWKS');
    return { jwks };
  }
  const privateJwk = parseJson<JWK>('AUTH_SIGNING_KEY', config.keys.signingKey);
  if (!privateJwk.kid || !jwks.keys.some((k) => k.kid === privateJwk.kid)) {
    throw new Error('AUTH_SIGNING_KEY must have a "kid" that AUTH_JWKS lists, or nobody could verify its tokens');
  }
  return { signing: { kid: privateJwk.kid, key: await importJWK(privateJwk, TOKEN_ALGORITHM) }, jwks };
}
