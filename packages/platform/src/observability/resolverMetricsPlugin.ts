import type { ApolloServerPlugin } from '@apollo/server';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { SubgraphName } from '../config';
import { resolverDuration } from './metrics';
import { tracingEnabled } from './spans';

const tracer = trace.getTracer('@streaming/platform');

/**
 * Times the root fields of a subgraph: its Query and Mutation fields and `_entities`, the entry
 * point the gateway uses most. They are the hot fields: everything below them is served from
 * what they loaded (DataLoaders batch the rest), and timing every nested field would cost more
 * than it tells. With tracing on, each is a span too.
 */
export function resolverMetricsPlugin(subgraph: SubgraphName): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async executionDidStart() {
          return {
            willResolveField({ info }) {
              if (info.path.prev !== undefined) return undefined;
              const field = `${info.parentType.name}.${info.fieldName}`;
              const end = resolverDuration.startTimer({ subgraph, field });
              const span = tracingEnabled() ? tracer.startSpan(`resolve ${field}`, { attributes: { 'graphql.field.path': field } }) : undefined;
              return (error) => {
                end();
                if (error) span?.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
                span?.end();
              };
            },
          };
        },
      };
    },
  };
}
