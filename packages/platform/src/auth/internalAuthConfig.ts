import { SUBGRAPH_NAMES, type Env } from '../config';
import { fromEnvOrFile } from './authConfig';

/**
 * The credential the gateway and the subgraphs present when they call a subgraph: proof that
 * the caller is part of this deployment, separate from the viewer's access token (which says who
 * the request is for). A subgraph trusts what its callers put in `_entities` representations
 * (`maturityRating`, `myList` under `@requires`); only callers holding the shared secret get to.
 */
export interface InternalAuthConfig {
  /** HMAC-SHA256 key shared by the gateway and every subgraph (INTERNAL_AUTH_SECRET). */
  secret: Uint8Array;
  /** Lifetime of one signed credential; callers sign a new one at half of it. */
  ttlSeconds: number;
}

/** The request header that carries it, beside `Authorization` (the viewer's). */
export const INTERNAL_CREDENTIAL_HEADER = 'x-internal-credential';

/** Every service that may call a subgraph names itself in `iss`: the gateway and the subgraphs. */
export const INTERNAL_CALLERS: readonly string[] = ['gateway', ...SUBGRAPH_NAMES];

const MIN_SECRET_BYTES = 32;
export const INTERNAL_CREDENTIAL_TTL_SECONDS = 300;

/**
 * Production (NODE_ENV=production) requires the secret: without it a subgraph would answer
 * anyone who reaches its port, and believe whatever representations they send. Development
 * runs without one (npm start, the tests) unless it is set; once set, it is required on every
 * subgraph call, as in production.
 */
export function internalAuthConfigFromEnv(env: Env): InternalAuthConfig | undefined {
  const secret = fromEnvOrFile(env, 'INTERNAL_AUTH_SECRET')?.trim();
  if (!secret) {
    if (env.NODE_ENV === 'production') {
      throw new Error('INTERNAL_AUTH_SECRET (or INTERNAL_AUTH_SECRET_FILE) is required when NODE_ENV=production: the shared secret the gateway and subgraphs sign their calls to subgraphs with (npm run --silent auth:keys makes one; see README, "Production secrets")');
    }
    return undefined;
  }
  const bytes = new TextEncoder().encode(secret);
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new Error(`INTERNAL_AUTH_SECRET must be at least ${MIN_SECRET_BYTES} bytes (npm run --silent auth:keys makes one of 256 random bits)`);
  }
  return { secret: bytes, ttlSeconds: INTERNAL_CREDENTIAL_TTL_SECONDS };
}
