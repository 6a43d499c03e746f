import { authenticateRequest, contextWithRequestId, ErrorCode, requestIdOfResponse, type TokenVerifier, type Viewer } from '@streaming/platform/core';
import type { Request, RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import { clientAddress } from '../http/rateLimit';

/** What every gateway request carries from here on: the verified viewer, or null (anonymous). */
export interface GatewayContext {
  viewer: Viewer | null;
  /** Only with verification off at the gateway (AUTH_GATEWAY_VERIFY=false): the bearer token, passed on unchecked. */
  unverifiedCredential?: string;
  /** The client's address, forwarded to the subgraphs (forwardClientAddress). */
  clientAddress?: string;
}

/** Set on the request by `authenticate`, read by the rate limit (per account) and the context. */
type AuthenticatedRequest = Request & Partial<GatewayContext>;

export interface GatewayIdentity {
  verifier: TokenVerifier;
  /** False only to measure the gateway's own check (bench); the subgraphs verify regardless. */
  verify?: boolean;
}

/**
 * Verifies the bearer token of every request, as HTTP middleware in front of everything that
 * needs to know who asks (the per-account rate limit, then GraphQL). A present but invalid token
 * (expired, tampered, `alg: none`, wrong issuer or audience, unknown key, signed out) is HTTP 401
 * with UNAUTHENTICATED, before any planning; no token means anonymous, which public (catalog)
 * data still serves.
 */
export function authenticate({ verifier, verify = true }: GatewayIdentity): RequestHandler {
  if (!verify) {
    // For measuring what the gateway's check costs (bench): the subgraphs still verify every
    // token, so nothing private is served unchecked; only the gateway's own 401 is lost.
    return (req: AuthenticatedRequest, _res, next) => {
      req.viewer = null;
      req.unverifiedCredential = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      next();
    };
  }
  return (req: AuthenticatedRequest, res, next) => {
    authenticateRequest(req.headers, verifier).then(
      (viewer) => {
        req.viewer = viewer;
        next();
      },
      (err: unknown) => {
        if (!(err instanceof GraphQLError) || err.extensions.code !== ErrorCode.UNAUTHENTICATED) return next(err);
        res.status(401).json({ errors: [{ message: err.message, extensions: { code: ErrorCode.UNAUTHENTICATED } }] });
      },
    );
  };
}

/** The GraphQL context: who `authenticate` found, and from where they ask; the request's id kept beside it. */
export async function gatewayContext({ req, res }: { req: Request; res: Response }): Promise<GatewayContext> {
  const { viewer = null, unverifiedCredential } = req as AuthenticatedRequest;
  return contextWithRequestId({ viewer, unverifiedCredential, clientAddress: clientAddress(req) }, requestIdOfResponse(res));
}
