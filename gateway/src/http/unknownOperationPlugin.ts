import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode } from '@streaming/shared';
import { GraphQLError } from 'graphql';

/**
 * An `operationName` the document doesn't define (or none, for a document with several) is the
 * client's mistake: 400 with a code. Apollo Server leaves the check to the executor, and the
 * gateway's executor fails it as an internal error (500).
 */
export const unknownOperationPlugin: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, request }) {
        if (operation) return;
        const message = request.operationName
          ? `Unknown operation named "${request.operationName.slice(0, 100)}".`
          : 'Must provide operationName when the document contains several operations.';
        throw new GraphQLError(message, { extensions: { code: ErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } } });
      },
    };
  },
};
