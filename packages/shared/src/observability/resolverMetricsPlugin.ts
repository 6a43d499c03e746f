import type { ApolloServerPlugin } from '@apollo/server';
import type { SubgraphName } from '../config';
import { resolverDuration } from './metrics';

/**
 * Times the root fields of a subgraph: its Query and Mutation fields and `_entities`, the entry
 * point the gateway uses most. They are the hot fields: everything below them is served from
 * what they loaded (DataLoaders batch the rest), and timing every nested field would cost more
 * than it tells.
 */
export function resolverMetricsPlugin(subgraph: SubgraphName): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async executionDidStart() {
          return {
            willResolveField({ info }) {
              if (info.path.prev !== undefined) return undefined;
              const end = resolverDuration.startTimer({ subgraph, field: `${info.parentType.name}.${info.fieldName}` });
              return () => void end();
            },
          };
        },
      };
    },
  };
}
