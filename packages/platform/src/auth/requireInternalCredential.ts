import type { RequestHandler } from 'express';
import { ErrorCode } from '../graphql/errors';
import type { Logger } from '../log';
import { internalCredentialsRefused } from '../observability/metrics';
import { INTERNAL_CREDENTIAL_HEADER } from './internalAuthConfig';
import { InternalCredentialRefused, type InternalCredentialVerifier } from './InternalCredentialVerifier';

/**
 * A subgraph's GraphQL endpoint admits only callers holding the deployment's internal credential
 * (the gateway, sibling subgraphs), checked before the body is read: a caller without one gets
 * 401 (403 for a credential meant for another service) and no parsing, validation or resolver
 * runs for it. Health and metrics routes are outside it. The viewer's token is still verified
 * afterwards, as before: this says the caller is ours, the token says who the request is for.
 */
export function requireInternalCredential(verifier: InternalCredentialVerifier, subgraph: string, log: Logger): RequestHandler {
  return (req, res, next) => {
    const header = req.headers[INTERNAL_CREDENTIAL_HEADER];
    try {
      verifier.verify(Array.isArray(header) ? header[0] : header);
    } catch (err) {
      if (!(err instanceof InternalCredentialRefused)) return next(err);
      internalCredentialsRefused.inc({ subgraph, reason: err.reason });
      // Debug only: anyone who reaches the port can cause these, so they must not flood the log;
      // the counter shows them.
      log.debug(`refused a call without a valid internal credential (${err.reason})`);
      if (err.status === 401) res.set('WWW-Authenticate', 'Bearer realm="internal", error="invalid_token"');
      res.status(err.status).json({ errors: [{ message: err.message, extensions: { code: ErrorCode.INTERNAL_CREDENTIAL_REJECTED } }] });
      return;
    }
    next();
  };
}
