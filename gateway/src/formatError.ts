import { ErrorCode } from '@streaming/shared';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';

const UNKNOWN_ENUM_VALUE = /^Value "[^"]*" does not exist in "[^"]+" enum/;

/**
 * An unknown enum value is bad input whether it arrives in a variable (Apollo Server already
 * says BAD_USER_INPUT) or written inline in the query (graphql-js reports it as a validation
 * failure). Clients branch on the code, so both get the same one.
 *
 * Apollo Server files every validation error under GRAPHQL_VALIDATION_FAILED, overwriting the
 * code a rule gave it; our limits (depth, aliases, root fields, strings) name their own code,
 * kept on the original error, so that a client can tell which limit it hit.
 */
export function formatError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
  if (formatted.extensions?.code !== ErrorCode.GRAPHQL_VALIDATION_FAILED) return formatted;
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  const ruleCode = original instanceof GraphQLError ? original.extensions?.code : undefined;
  if (typeof ruleCode === 'string' && ruleCode !== ErrorCode.GRAPHQL_VALIDATION_FAILED) {
    return { ...formatted, extensions: { ...formatted.extensions, code: ruleCode } };
  }
  if (UNKNOWN_ENUM_VALUE.test(formatted.message)) {
    return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT } };
  }
  return formatted;
}
