import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode, graphQLError } from '@streaming/platform/core';
import { LRUCache } from 'lru-cache';
import { compileCost, type CompiledCost, type EstimatorOptions } from './costEstimator';
import type { CostModel } from './costModel';

export interface CostLimitOptions extends EstimatorOptions {
  /** Operations estimated above this are refused before planning. */
  maxCost: number;
  /** A request carrying this header (any value but `0`/`false`) gets the estimate in `extensions.cost`. */
  exposeHeader: string;
}

/**
 * Demand control: the worst-case cost of each operation (from the supergraph's `@cost` and
 * `@listSize`, with the request's variables) is checked in `didResolveOperation`, which runs
 * before the gateway plans or calls any subgraph, so an expensive query costs us only its
 * estimate. Compiled estimates are kept per document and operation; a warm request only
 * multiplies a handful of sizes.
 */
export function costLimitPlugin(model: CostModel, options: CostLimitOptions): ApolloServerPlugin<BaseContext> {
  const compiled = new LRUCache<string, CompiledCost>({ max: 2_000 });
  const header = options.exposeHeader.toLowerCase();
  return {
    async requestDidStart({ request }) {
      const asked = request.http?.headers.get(header);
      const expose = asked !== undefined && asked !== '0' && asked !== 'false';
      let cost: number | undefined;
      return {
        async didResolveOperation({ document, operation, queryHash, request: { variables } }) {
          // Nothing to run: operationResolutionPlugin answers that, not the estimator.
          if (!operation || operation.operation === 'subscription') return;
          const key = `${queryHash}:${operation.name?.value ?? ''}`;
          let estimate = compiled.get(key);
          if (!estimate) compiled.set(key, (estimate = compileCost(model, document, operation, options)));
          cost = estimate.evaluate(variables ?? {});
          if (cost > options.maxCost) {
            throw graphQLError(
              ErrorCode.COST_ESTIMATED_TOO_EXPENSIVE,
              `This operation's estimated cost is ${cost}, above the limit of ${options.maxCost}: ask for fewer or smaller lists.`,
              { cost, maxCost: options.maxCost, http: { status: 400 } },
            );
          }
        },
        async willSendResponse({ response }) {
          if (!expose || cost === undefined) return;
          // An incremental answer (`@defer`) carries it in its first payload.
          const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          result.extensions = { ...result.extensions, cost: { estimated: cost, max: options.maxCost } };
        },
      };
    },
  };
}
