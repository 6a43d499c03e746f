import { unwrapResolverError } from '@apollo/server/errors';
import { createLogger, ErrorCode, requestIdOfError, validationRuleCode } from '@streaming/platform/core';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';

const UNKNOWN_ENUM_VALUE = /^Value "[^"]*" does not exist in "[^"]+" enum/;
const log = createLogger('gateway');

/**
 * The gateway's last word on every error a client sees:
 * - an unknown enum value is bad input whether it arrives in a variable (Apollo Server already
 *   says BAD_USER_INPUT) or written inline in the query (graphql-js reports it as a validation
 *   failure); clients branch on the code, so both get the same one;
 * - a limit's validation error keeps the code the limit gave it (validationRuleCode), so that a
 *   client can tell which limit it hit;
 * - every error carries the request id (also in the `x-request-id` header) to quote in a report;
 * - an internal error raised in the gateway itself is logged here, once, with its stack and
 *   cause, and masked. One that a subgraph reported (it has a `serviceName`) was already logged
 *   and masked by that subgraph, so it is not logged twice;
 * - expected errors (bad input, not found...) are logged at debug only.
 */
export function formatError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
  const requestId = requestIdOfError(error);
  let extensions: Record<string, unknown> = { ...formatted.extensions, ...(requestId ? { requestId } : {}) };
  if (extensions.code === ErrorCode.GRAPHQL_VALIDATION_FAILED) {
    const ruleCode = validationRuleCode(formatted, error);
    if (ruleCode) extensions = { ...extensions, code: ruleCode };
    else if (UNKNOWN_ENUM_VALUE.test(formatted.message)) extensions = { ...extensions, code: ErrorCode.BAD_USER_INPUT };
  }
  const original = unwrapResolverError(error);
  // Apollo Server's own refusals (a persisted query whose text doesn't match its hash) are
  // GraphQLErrors without a code or a cause: expected, and left for the plugins that name them.
  const thrown = !(original instanceof GraphQLError) || original.originalError !== undefined;
  if (extensions.code === ErrorCode.INTERNAL_SERVER_ERROR && !extensions.serviceName && thrown) {
    log.error(`unexpected error at ${formatted.path?.join('.') ?? 'request'}`, original, requestId ? { requestId } : undefined);
    return { message: 'Internal error; it has been logged', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } };
  }
  log.debug(`${String(extensions.code)}: ${formatted.message}`, { serviceName: extensions.serviceName, requestId });
  return { ...formatted, extensions };
}
