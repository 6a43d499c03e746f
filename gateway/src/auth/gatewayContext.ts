import type { IncomingMessage } from 'node:http';
import { authenticateRequest, type TokenVerifier, type Viewer } from '@streaming/shared';

/** What every gateway request carries from here on: the verified viewer, or null (anonymous). */
export interface GatewayContext {
  viewer: Viewer | null;
}

/**
 * The gateway's context function: verifies the bearer token of every request before any
 * planning. A present but invalid token (expired, tampered, `alg: none`, wrong issuer or
 * audience, unknown key, signed out) fails the whole request with HTTP 401 and
 * UNAUTHENTICATED; no token means anonymous, which public (catalog) data still serves.
 */
export function createGatewayContext(verifier: TokenVerifier) {
  return async ({ req }: { req: IncomingMessage }): Promise<GatewayContext> => ({
    viewer: await authenticateRequest(req.headers, verifier),
  });
}
