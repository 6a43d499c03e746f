import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../graphql/errors';
import type { Logger } from '../log';
import { requestIdOfError } from '../observability/requestContext';
import { validationRuleCode } from '../graphql/validationRuleCode';

/** Prisma's codes for "that row is gone": a concurrent write removed what this one needed. */
const ROW_GONE = new Set(['P2025', 'P2003']);

/**
 * The last line between an unexpected failure and the client. Errors the code raised on
 * purpose (GraphQLErrors with a code) pass through, logged at debug only (one bad client must
 * not flood the logs); a row removed by a concurrent write becomes NOT_FOUND; anything else is
 * logged once here, in full (stack and cause), and reaches the client as a plain internal error
 * with the request id to quote, never with the database's message, file paths or a stack.
 */
export function formatSubgraphError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const requestId = requestIdOfError(error);
    const fields = requestId ? { requestId } : undefined;
    const ruleCode = validationRuleCode(formatted, error);
    if (ruleCode) return withRequestId({ ...formatted, extensions: { ...formatted.extensions, code: ruleCode } }, requestId);
    const original = unwrapResolverError(error);
    const at = formatted.path?.join('.') ?? 'request';
    if (original instanceof GraphQLError && original.extensions?.code) {
      log.debug(`${String(original.extensions.code)} at ${at}: ${formatted.message}`, fields);
      return withRequestId(formatted, requestId);
    }
    const prismaCode = (original as { code?: unknown } | undefined)?.code;
    if (typeof prismaCode === 'string' && ROW_GONE.has(prismaCode)) {
      log.debug(`NOT_FOUND at ${at}: row removed concurrently (${prismaCode})`, fields);
      return { message: 'The record was removed by a concurrent change', path: formatted.path, extensions: { code: ErrorCode.NOT_FOUND, requestId } };
    }
    if (formatted.extensions?.code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      log.debug(`${String(formatted.extensions?.code)}: ${formatted.message}`, fields);
      return withRequestId(formatted, requestId);
    }
    log.error(`unexpected error at ${at}`, original, fields);
    return { message: 'Internal error; it has been logged', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } };
  };
}

function withRequestId(formatted: GraphQLFormattedError, requestId: string | undefined): GraphQLFormattedError {
  return requestId ? { ...formatted, extensions: { ...formatted.extensions, requestId } } : formatted;
}
