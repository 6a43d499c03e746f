import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../graphql/errors';
import type { Logger } from '../log';

/** Prisma's codes for "that row is gone": a concurrent write removed what this one needed. */
const ROW_GONE = new Set(['P2025', 'P2003']);

/**
 * The last line between an unexpected failure and the client. Errors the code raised on
 * purpose (GraphQLErrors with a code) pass through; a row removed by a concurrent write becomes
 * NOT_FOUND; anything else is logged in full and reaches the client as a plain internal error,
 * never with the database's message, file paths or a stack.
 */
export function formatSubgraphError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof GraphQLError && original.extensions?.code) return formatted;
    const prismaCode = (original as { code?: unknown } | undefined)?.code;
    if (typeof prismaCode === 'string' && ROW_GONE.has(prismaCode)) {
      return { message: 'The record was removed by a concurrent change', path: formatted.path, extensions: { code: ErrorCode.NOT_FOUND } };
    }
    if (formatted.extensions?.code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
    log.error(`unexpected error at ${formatted.path?.join('.') ?? 'request'}`, original);
    return { message: 'Internal error; it has been logged', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}
