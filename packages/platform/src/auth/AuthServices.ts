import type { AuthConfig } from './authConfig';
import { loadAuthKeys, type AuthKeys } from './keys';
import { createRevocationList, type RevocationList } from './RevocationList';
import { TokenIssuer } from './TokenIssuer';
import { TokenVerifier } from './TokenVerifier';

/** Identity as one process uses it: verify every request, and (the profile subgraph) issue tokens. */
export interface AuthServices {
  config: AuthConfig;
  verifier: TokenVerifier;
  revocations: RevocationList;
  /** Present where the signing key is: the profile subgraph, and tests. */
  issuer?: TokenIssuer;
  close(): Promise<void>;
}

export interface AuthServicesOptions {
  config: AuthConfig;
  /** Keys already in hand (tests generate them in memory); otherwise loaded as the config says. */
  keys?: AuthKeys;
  needSigningKey?: boolean;
  redisUrl?: string;
  keyPrefix: string;
  component: string;
  /** Share one list (the embedded mode's subgraphs, the test harness). */
  revocations?: RevocationList;
}

export async function createAuthServices(options: AuthServicesOptions): Promise<AuthServices> {
  const { config } = options;
  const keys = options.keys ?? (await loadAuthKeys(config, options.needSigningKey ?? false));
  const ownsRevocations = !options.revocations;
  const revocations = options.revocations ?? createRevocationList({ redisUrl: options.redisUrl, keyPrefix: options.keyPrefix, component: options.component });
  const verifier = new TokenVerifier(keys.jwks, { issuer: config.issuer, audience: config.audience }, revocations);
  const issuer = keys.signing
    ? new TokenIssuer(keys.signing, { issuer: config.issuer, audience: config.audience, ttlSeconds: config.accessTokenTtlSeconds })
    : undefined;
  return {
    config,
    verifier,
    revocations,
    issuer,
    close: async () => {
      if (ownsRevocations) await revocations.close();
    },
  };
}
