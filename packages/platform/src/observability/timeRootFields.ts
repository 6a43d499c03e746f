import { SpanStatusCode, trace } from '@opentelemetry/api';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { SubgraphName } from '../config';
import { resolverDuration } from './metrics';
import { tracingEnabled } from './spans';

const tracer = trace.getTracer('@streaming/platform');

/**
 * Times the root fields of a subgraph: its Query and Mutation fields and `_entities`, the entry
 * point the gateway uses most. They are the hot fields: everything below them is served from
 * what they loaded (DataLoaders batch the rest), and timing every nested field would cost more
 * than it tells. With tracing on, each is a span too.
 *
 * The root fields' resolvers are wrapped in the schema, once, rather than timed from an Apollo
 * plugin's `willResolveField`: a plugin with that hook makes Apollo Server wrap every field of
 * the schema and call the plugins on every value it resolves (a home screen's 200 titles, each
 * with its fields), only for all but the root fields to be ignored here.
 */
export function timeRootFields(schema: GraphQLSchema, subgraph: SubgraphName): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      field.resolve = timed(`${type.name}.${field.name}`, subgraph, field.resolve ?? defaultFieldResolver);
    }
  }
  return schema;
}

function timed(field: string, subgraph: SubgraphName, resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context, info) => {
    const end = resolverDuration.startTimer({ subgraph, field });
    const span = tracingEnabled() ? tracer.startSpan(`resolve ${field}`, { attributes: { 'graphql.field.path': field } }) : undefined;
    const done = (error?: unknown) => {
      end();
      if (error) span?.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      span?.end();
    };
    let result: unknown;
    try {
      result = resolve(source, args, context, info);
    } catch (error) {
      done(error);
      throw error;
    }
    whenSettled(result, done);
    return result;
  };
}

/**
 * When a resolver's value is complete: a promise when it settles, a list (`_entities`' answer
 * is one, entity by entity) when every promise in it has, as Apollo's `whenResultIsFinished`.
 */
function whenSettled(result: unknown, done: (error?: unknown) => void): void {
  if (isPromise(result)) result.then(() => done(), done);
  else if (Array.isArray(result) && result.some(isPromise)) Promise.all(result).then(() => done(), done);
  else done();
}

function isPromise(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
