import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Logger } from '@streaming/platform/core';
import CircuitBreaker from 'opossum';
import type { ResilienceConfig } from '../config';
import { isSubgraphFault, subgraphUnavailable } from './subgraphErrors';

/**
 * One circuit per subgraph. While a subgraph fails most of its fetches, waiting on it (or its
 * timeout) only adds latency to every request and load to a service trying to recover, so the
 * circuit opens and fetches fail at once with SUBGRAPH_UNAVAILABLE; the fallbacks above this
 * layer then serve what they can. After `resetTimeoutMs` one probe goes through (half-open); its
 * success closes the circuit.
 *
 * Only failures that say the subgraph is unhealthy count: a timeout, a refused connection, a
 * 5xx. A GraphQL error in a 200 answer (NOT_FOUND, BAD_USER_INPUT) is the subgraph working.
 */
export class CircuitBreakerDataSource implements GraphQLDataSource {
  readonly breaker: CircuitBreaker<[GraphQLDataSourceProcessOptions], GatewayGraphQLResponse>;

  constructor(inner: GraphQLDataSource, private readonly serviceName: string, options: ResilienceConfig['breaker'], log: Logger) {
    this.breaker = new CircuitBreaker((o: GraphQLDataSourceProcessOptions) => inner.process(o), {
      name: serviceName,
      // The timeout layer below already bounds (and cancels) each fetch.
      timeout: false,
      errorThresholdPercentage: options.errorThresholdPercentage,
      volumeThreshold: options.volumeThreshold,
      rollingCountTimeout: options.rollingWindowMs,
      resetTimeout: options.resetTimeoutMs,
      errorFilter: (error: unknown) => !isSubgraphFault(error),
    });
    this.breaker.on('open', () => log.warn(`circuit for ${serviceName} opened: failing fast for ${options.resetTimeoutMs} ms`));
    this.breaker.on('halfOpen', () => log.info(`circuit for ${serviceName} half-open: probing`));
    this.breaker.on('close', () => log.info(`circuit for ${serviceName} closed: ${serviceName} answers again`));
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    try {
      return await this.breaker.fire(options);
    } catch (err) {
      if ((err as { code?: string }).code === 'EOPENBREAKER') throw subgraphUnavailable(this.serviceName, 'circuit open');
      throw err;
    }
  }
}
