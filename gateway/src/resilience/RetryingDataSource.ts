import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, OperationTypeNode } from 'graphql';
import { isRetryable } from './subgraphErrors';

/**
 * Retries share a budget earned by first attempts: each fetch adds `ratio` of a token (up to a
 * small reserve, so a quiet spell doesn't bank a burst) and each retry spends one. During an
 * outage every fetch fails, and without a budget every fetch would be sent twice, doubling the
 * load on the subgraph that is struggling; with it, retries add at most `ratio` extra load
 * however bad things get. It starts empty: the first retry is earned by 1/ratio fetches.
 */
export class RetryBudget {
  private tokens = 0;

  constructor(private readonly ratio: number, private readonly reserve = 10) {}

  recordAttempt(): void {
    this.tokens = Math.min(this.reserve, this.tokens + this.ratio);
  }

  tryWithdraw(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

function isIdempotent(options: GraphQLDataSourceProcessOptions): boolean {
  const document = 'document' in options ? options.document : undefined;
  const operation = document?.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operation && 'operation' in operation) return operation.operation === OperationTypeNode.QUERY;
  return /^\s*(query\b|\{)/.test(options.request.query ?? '');
}

/**
 * At most one retry, after a short random pause, for a fetch that failed fast and transiently
 * (a refused or reset connection, a 502/503/504): typically one replica restarting or a
 * keep-alive socket the subgraph had just closed.
 *
 * Mutations are never retried: the first attempt may have been applied before the connection
 * broke, and a second `startPlayback` would open a second session. Timeouts are not retried
 * either: the fetch has already used its time, and a second wait would double the worst case.
 */
export class RetryingDataSource implements GraphQLDataSource {
  constructor(
    private readonly inner: GraphQLDataSource,
    private readonly budget: RetryBudget,
    private readonly maxJitterMs = 50,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    this.budget.recordAttempt();
    try {
      return await this.inner.process(options);
    } catch (err) {
      if (!isRetryable(err) || !isIdempotent(options) || !this.budget.tryWithdraw()) throw err;
      // Jitter keeps the retries of many requests that failed together from arriving together.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * this.maxJitterMs));
      return this.inner.process(options);
    }
  }
}
