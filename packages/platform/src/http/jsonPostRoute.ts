import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';

/** An HTTP endpoint a server mounts outside GraphQL (createHttpApp's `routes`). */
export type HttpRoute = RequestHandler;

/** What a JSON endpoint answers: a status, a JSON body, and any headers. */
export interface JsonAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface JsonPostRouteOptions {
  /** Largest body accepted, in bytes or a size string (`4kb`). */
  limit: number | string;
  /** The answer to a body that isn't JSON or is over `limit` (its status is the parser's: 400 or 413). */
  invalid: JsonAnswer;
}

/**
 * A JSON-over-HTTP endpoint of a subgraph's own, outside GraphQL (for SubgraphWiring's
 * `routes`): `POST path` with a JSON body, answered by `handle`. It is mounted before the GraphQL
 * middleware, so none of GraphQL's parsing, CSRF check or limits apply; the body parser here is
 * the only one, capped at `limit`. A body that isn't `application/json` reaches `handle` as
 * undefined. Answers are never cached.
 */
export function jsonPostRoute(path: string, handle: (body: unknown) => Promise<JsonAnswer>, options: JsonPostRouteOptions): HttpRoute {
  const send = (res: express.Response, answer: JsonAnswer) => {
    res.set({ 'cache-control': 'no-store', ...answer.headers }).status(answer.status).json(answer.body);
  };
  const router = Router();
  router.post(path, express.json({ limit: options.limit }), (req, res, next) => {
    handle((req as { body?: unknown }).body).then((answer) => send(res, answer), next);
  });
  const invalidBody: ErrorRequestHandler = (err, _req, res, next) => {
    const status = (err as { status?: unknown })?.status;
    if (status === 400 || status === 413) send(res, { ...options.invalid, status });
    else next(err);
  };
  router.use(path, invalidBody);
  return router;
}
