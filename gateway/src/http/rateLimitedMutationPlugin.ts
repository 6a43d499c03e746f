import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode } from '@streaming/platform/core';

/**
 * A subgraph's own rate limit (the profile subgraph's password-guessing limits) reaches the
 * client the way the gateway's does: HTTP 429 with `Retry-After`. A subgraph answers GraphQL
 * errors with HTTP 200 (the gateway would take any other status for a failure of the subgraph
 * itself), so the status is set here, from the error's `retryAfterSeconds`.
 *
 * Only for a mutation that did nothing: every root field is null. A query may be partly
 * answered, and a 429 would tell a client to throw away the data that did arrive.
 */
export function rateLimitedMutationPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, response }) {
          if (operation?.operation !== 'mutation' || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (data && Object.values(data).some((value) => value !== null)) return;
          const waits = (errors ?? [])
            .filter((error) => error.extensions?.code === ErrorCode.RATE_LIMITED)
            .map((error) => Number(error.extensions?.retryAfterSeconds))
            .filter((seconds) => Number.isFinite(seconds) && seconds > 0);
          if (waits.length === 0) return;
          response.http.status = 429;
          response.http.headers.set('retry-after', String(Math.ceil(Math.max(...waits))));
        },
      };
    },
  };
}
