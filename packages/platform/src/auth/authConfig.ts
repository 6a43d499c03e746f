import { readFileSync } from 'node:fs';
import path from 'node:path';
import { intFrom, type Env } from '../config';

/**
 * Where verification keys (and, for the issuer, the signing key) come from:
 * - `env`: production; a private JWK and a JWKS of public keys, from env vars or files;
 * - `dataDir`: development; a key pair generated once under the git-ignored data folder.
 * (Tests generate keys in memory and pass them to createAuthServices directly.)
 */
export type KeySource =
  | { kind: 'env'; signingKey?: string; jwks: string }
  | { kind: 'dataDir'; dir: string };

export interface AuthConfig {
  /** `iss` of every access token, and what verifiers insist on. */
  issuer: string;
  /** `aud` of client access tokens. */
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  keys: KeySource;
}

export const DEFAULT_ISSUER = 'streaming-supergraph';
export const DEFAULT_AUDIENCE = 'streaming-api';

/** A secret from `NAME`, or from the file `NAME_FILE` names (Docker and Kubernetes secrets). */
export function fromEnvOrFile(env: Env, name: string): string | undefined {
  const inline = env[name];
  if (inline) return inline;
  const file = env[`${name}_FILE`];
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${name}_FILE (${file}) can't be read: ${(err as Error).message}`);
  }
}

/**
 * Production (NODE_ENV=production) must be given its keys: a process that made up its own
 * would issue tokens nobody else accepts, or accept tokens nobody else issued. Development
 * falls back to a key pair kept under DATA_DIR so that `npm start` needs no setup.
 */
export function authConfigFromEnv(env: Env = process.env): AuthConfig {
  const jwks = fromEnvOrFile(env, 'AUTH_JWKS');
  const signingKey = fromEnvOrFile(env, 'AUTH_SIGNING_KEY');
  const production = env.NODE_ENV === 'production';
  let keys: KeySource;
  if (jwks) keys = { kind: 'env', jwks, signingKey };
  else if (production) {
    throw new Error('AUTH_JWKS (or AUTH_JWKS_FILE) is required when NODE_ENV=production: the JSON Web Key Set that verifies access tokens (see README, "Identity")');
  } else keys = { kind: 'dataDir', dir: path.resolve(env.DATA_DIR || '.data', 'auth') };
  return {
    issuer: env.AUTH_ISSUER || DEFAULT_ISSUER,
    audience: env.AUTH_AUDIENCE || DEFAULT_AUDIENCE,
    accessTokenTtlSeconds: intFrom(env, 'ACCESS_TOKEN_TTL_SECONDS', 15 * 60),
    refreshTokenTtlSeconds: intFrom(env, 'REFRESH_TOKEN_TTL_DAYS', 30) * 86_400,
    keys,
  };
}
