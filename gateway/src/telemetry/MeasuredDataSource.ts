import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { subgraphFetchDuration, subgraphFetchErrors } from './metrics';

/**
 * Latency and errors of every fetch the gateway sends to one subgraph. It wraps the data source
 * that really fetches (inside the entity cache), so cache hits are not counted as fetches.
 */
export class MeasuredDataSource implements GraphQLDataSource {
  private readonly duration;

  constructor(private readonly subgraph: string, private readonly inner: GraphQLDataSource) {
    this.duration = subgraphFetchDuration.labels({ subgraph });
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const end = this.duration.startTimer();
    try {
      const response = await this.inner.process(options);
      for (const error of response.errors ?? []) {
        subgraphFetchErrors.inc({ subgraph: this.subgraph, code: String(error.extensions?.code ?? 'UNKNOWN') });
      }
      return response;
    } catch (err) {
      const code = err instanceof GraphQLError ? String(err.extensions?.code ?? 'UNKNOWN') : 'UNKNOWN';
      subgraphFetchErrors.inc({ subgraph: this.subgraph, code });
      throw err;
    } finally {
      end();
    }
  }
}
