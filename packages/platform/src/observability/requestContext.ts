import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

export const REQUEST_ID_HEADER = 'x-request-id';

/*
 * The request's id travels explicitly: beside the GraphQL context, on the errors it raised, and
 * as an argument to what logs or calls another service. It used to ride an AsyncLocalStorage,
 * but on Node 20 any AsyncLocalStorage in use turns on async_hooks' promise hooks for every
 * promise the process makes: nearly a third of the playback subgraph's CPU per warm home screen
 * and a fifth of the gateway's per ProfilePicker (bench/README.md, item 11).
 */

/**
 * A client's id is kept only when it looks like an id (a UUID, a ULID, a device's own counter):
 * it is echoed in headers and written in every log line, so free text, control characters or a
 * kilobyte of it would turn the logs into an injection target.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function requestIdFrom(header: unknown): string {
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

/**
 * Gives the request its id (the client's, if sane; the gateway forwards it to the subgraphs as
 * the same header) and returns it in the response header, so a user's report, the gateway's
 * and every subgraph's log lines meet on one id. Mounted first, so even a body the parser
 * rejects is answered with an id.
 */
export const assignRequestId: RequestHandler = (req, res, next) => {
  const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
  res.locals.requestId = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  next();
};

/** The id `assignRequestId` gave this response's request. */
export function requestIdOfResponse(res: Response): string | undefined {
  const id: unknown = res.locals.requestId;
  return typeof id === 'string' ? id : undefined;
}

/*
 * On the context, a property under a symbol of this module's: Apollo Server runs each operation
 * on a shallow copy of the context (`cloneObject`), which copies it along; a WeakMap keyed by the
 * context would lose it. Errors are keyed by the objects themselves, so nothing outlives its request.
 */
const REQUEST_ID = Symbol('requestId');
const errorIds = new WeakMap<object, string>();

/** Keeps the request's id beside its GraphQL context (whatever type each server gives it); returns the context. */
export function contextWithRequestId<C extends object>(context: C, requestId: string | undefined): C {
  if (requestId) Object.defineProperty(context, REQUEST_ID, { value: requestId, enumerable: true });
  return context;
}

/** The id of the request a GraphQL context was made for. */
export function requestIdOf(context: object | undefined): string | undefined {
  return (context as { [REQUEST_ID]?: string } | undefined)?.[REQUEST_ID];
}

/** Marks errors with their request's id, for `formatError`, which Apollo Server calls without the context. */
export function tagErrors(errors: readonly unknown[], requestId: string | undefined): void {
  if (!requestId) return;
  for (const error of errors) if (typeof error === 'object' && error !== null) errorIds.set(error, requestId);
}

/**
 * The id of the request that raised an error: tagged by `requestIdPlugin` before Apollo Server
 * formats it, or on the error it wraps (a context function's failure is wrapped once more).
 */
export function requestIdOfError(error: unknown): string | undefined {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 4; e = (e as { originalError?: unknown }).originalError, depth += 1) {
    const id = errorIds.get(e);
    if (id) return id;
  }
  return undefined;
}

/**
 * Tags every error a request reports, first payload and `@defer`red ones alike, with the
 * request's id. Apollo Server awaits these hooks right before it formats the same error objects.
 */
export function requestIdPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart({ contextValue }) {
      const requestId = requestIdOf(contextValue);
      if (!requestId) return;
      return {
        async didEncounterErrors({ errors }) {
          tagErrors(errors, requestId);
        },
        async didEncounterSubsequentErrors(_context, errors) {
          tagErrors(errors, requestId);
        },
      };
    },
  };
}
