import type { NextFunction, RequestHandler } from 'express';

/**
 * The handlers as one Express layer, each run as Express runs a layer: `next()` goes on to the
 * next one (so does `next('route')`, as it does between `app.use` layers), `next(err)`, a throw
 * or a rejected promise to the app's error handlers, and a handler that answers ends the
 * sequence. Express's router makes a layer of every handler given to `app.use` and, for every
 * request, matches each one's path again, strips and restores the mount prefix around it and
 * allocates for it; in front of the gateway's GraphQL there are ten (bench/README.md, item 15).
 */
export function inSequence(handlers: RequestHandler[]): RequestHandler {
  return (req, res, done) => {
    let index = 0;
    const next: NextFunction = (err?: unknown) => {
      if (err && err !== 'route') return done(err);
      const handler = handlers[index++];
      if (!handler) return done();
      try {
        const result: unknown = handler(req, res, next);
        // Any thenable, as Express's own check takes it, not only a native promise.
        if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
          (result as PromiseLike<unknown>).then(undefined, (error: unknown) => next(error ?? new Error('Rejected promise')));
        }
      } catch (error) {
        done(error);
      }
    };
    next();
  };
}
