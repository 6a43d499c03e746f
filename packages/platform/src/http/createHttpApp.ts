import type { ApolloServer, BaseContext } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler, type Response } from 'express';
import { ErrorCode } from '../graphql/errors';
import { inSequence } from './inSequence';

/** Where GraphQL is served: `/` (what people open in a browser) and `/graphql` (what tools expect). */
export const GRAPHQL_PATHS = ['/', '/graphql'];

export interface HttpAppOptions<C extends BaseContext> {
  /** Builds the per-request GraphQL context from the HTTP request. */
  context(args: { req: Request; res: Response }): Promise<C>;
  /**
   * Handlers answered outside GraphQL (health, metrics), mounted before anything else so that
   * body parsing, CSRF prevention and limits never stand between a probe and its answer.
   */
  routes?: RequestHandler[];
  /**
   * Who may call at all, checked before the body is read (a subgraph's internal credential): a
   * refused caller costs no parsing.
   */
  admit?: RequestHandler[];
  /** Middleware in front of the GraphQL endpoint, in the order given (ids, limits, identity). */
  before?: RequestHandler[];
  /** Largest JSON body accepted, in bytes or a size string (`1mb`). */
  bodyLimit?: number | string;
  /** Turns an error raised by a middleware (a malformed body, say) into a response. */
  onError?: ErrorRequestHandler;
}

/**
 * The HTTP side of every server here, gateway and subgraphs alike: an Express app around a
 * started ApolloServer. Apollo's standalone server is one fixed pipeline; edge concerns (health,
 * metrics, body caps, rate limits, identity) each need a place of their own in front of GraphQL,
 * and Express middleware is that place. Builds the app without listening (see `listen`).
 */
export function createHttpApp<C extends BaseContext>(apollo: ApolloServer<C>, options: HttpAppOptions<C>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  for (const route of options.routes ?? []) app.use(route);
  app.use(
    GRAPHQL_PATHS,
    inSequence([
      cors(),
      ...(options.admit ?? []),
      express.json({ limit: options.bodyLimit ?? '1mb' }),
      // Express 5 leaves `req.body` unset when no parser ran (a non-JSON content type); Apollo then
      // answers the request itself (CSRF prevention, "POST body missing") instead of a 500.
      (req, _res, next) => {
        if (!('body' in req)) (req as { body?: unknown }).body = undefined;
        next();
      },
      ...(options.before ?? []),
      expressMiddleware(apollo, { context: options.context }),
    ]),
  );
  app.use((_req, res) => {
    res.status(404).json({ errors: [{ message: 'Not found: GraphQL is served at / and /graphql', extensions: { code: ErrorCode.NOT_FOUND } }] });
  });
  app.use(options.onError ?? jsonErrorHandler);
  return app;
}

/**
 * Errors raised before GraphQL runs (a body that isn't JSON, a body over the cap) answered in the
 * GraphQL-over-HTTP error shape, with the status the parser chose: clients parse one shape, and
 * no HTML page or stack trace leaves the server.
 */
export const jsonErrorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
  const message = status === 500 ? 'Internal server error' : String(err?.message ?? 'Bad request');
  const code = status === 413 ? ErrorCode.PAYLOAD_TOO_LARGE : status === 500 ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.BAD_REQUEST;
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
};
