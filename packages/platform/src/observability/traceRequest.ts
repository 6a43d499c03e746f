import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { tracingEnabled } from './spans';

const tracer = trace.getTracer('@streaming/platform');

/**
 * One span per GraphQL request, named for the server that handles it (`gateway`, `catalog`...),
 * right in front of GraphQL: everything the request does (plan, fetches, loaders, SQL) is a child
 * of it. Under the HTTP instrumentation it nests in the HTTP server span; where that can't patch
 * (one process running several servers under a test runner) it continues the caller's
 * `traceparent` itself, so a trace crosses every subgraph either way.
 */
export function traceRequest(server: string): RequestHandler {
  return (req, res, next) => {
    if (!tracingEnabled()) return next();
    const parent = trace.getSpan(context.active()) ? context.active() : propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(`graphql ${server}`, { kind: SpanKind.SERVER, attributes: { 'graphql.server': server } }, parent);
    res.once('finish', () => {
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute('http.response.status_code', res.statusCode);
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
