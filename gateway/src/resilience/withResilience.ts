import type { GraphQLDataSource } from '@apollo/gateway';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { createLogger } from '@streaming/platform/core';
import type { ResilienceConfig } from '../config';
import { CircuitBreakerDataSource } from './CircuitBreakerDataSource';
import { FaultInjectingDataSource, faultHeaderPlugin } from './faultInjection';
import { requestDeadlinePlugin } from './requestDeadline';
import { RetryBudget, RetryingDataSource } from './RetryingDataSource';
import { TimeoutDataSource } from './TimeoutDataSource';

const log = createLogger('gateway');

/**
 * Wraps one subgraph's data source in the layers every subgraph call goes through, outermost
 * first: injected faults (per request, never counted by the circuit), one budgeted retry, the
 * circuit breaker (which counts each attempt), then the timeout that cancels the fetch.
 */
export function withResilience(serviceName: string, source: GraphQLDataSource, config: ResilienceConfig): GraphQLDataSource {
  let layered: GraphQLDataSource = new TimeoutDataSource(source, serviceName, config.fetchTimeoutMs);
  layered = new CircuitBreakerDataSource(layered, serviceName, config.breaker, log);
  layered = new RetryingDataSource(layered, new RetryBudget(config.retryBudgetRatio));
  if (config.faultInjection) layered = new FaultInjectingDataSource(layered, serviceName, config.fetchTimeoutMs);
  return layered;
}

/** The request-level halves of the same concern: the deadline clock and the fault header's check. */
export function resiliencePlugins(config: ResilienceConfig): ApolloServerPlugin<BaseContext>[] {
  return [requestDeadlinePlugin(config.requestDeadlineMs), ...(config.faultInjection ? [faultHeaderPlugin()] : [])];
}
