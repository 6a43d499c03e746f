import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

export const REQUEST_ID_HEADER = 'x-request-id';

export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

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

/** The id of the request this code runs for, or undefined outside a request (start-up, timers). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

export function runInRequest<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
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
  storage.run({ requestId }, next);
};

/**
 * Enters the request's context again right in front of GraphQL: the body parser resumes on the
 * socket's stream events, which run outside the context `assignRequestId` entered.
 */
export const enterRequestContext: RequestHandler = (_req, res, next) => {
  const requestId = typeof res.locals.requestId === 'string' ? res.locals.requestId : randomUUID();
  storage.run({ requestId }, next);
};
