import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode } from '@streaming/platform/core';
import { GraphQLError } from 'graphql';

/**
 * Requests naming an operation the server can't run are the client's mistake: 400 with a code.
 * Apollo Server leaves both checks below to the executor, and the gateway's executor fails them
 * as internal errors (500): an `operationName` the document doesn't define (or none, for a
 * document with several), and a subscription (graphql-js 16 doesn't validate operation types
 * against the schema, and this one has no subscriptions).
 */
export const operationResolutionPlugin: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, request, schema }) {
        if (operation && (operation.operation !== 'subscription' || schema.getSubscriptionType())) return;
        if (operation) {
          throw new GraphQLError('This API has no subscriptions.', { extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, http: { status: 400 } } });
        }
        const message = request.operationName
          ? `Unknown operation named "${request.operationName.slice(0, 100)}".`
          : 'Must provide operationName when the document contains several operations.';
        throw new GraphQLError(message, { extensions: { code: ErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } } });
      },
    };
  },
};
