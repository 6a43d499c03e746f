import { ErrorCode } from '@streaming/shared';
import type { GraphQLFormattedError } from 'graphql';

const UNKNOWN_ENUM_VALUE = /^Value "[^"]*" does not exist in "[^"]+" enum/;

/**
 * An unknown enum value is bad input whether it arrives in a variable (Apollo Server already
 * says BAD_USER_INPUT) or written inline in the query (graphql-js reports it as a validation
 * failure). Clients branch on the code, so both get the same one.
 */
export function formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (formatted.extensions?.code === ErrorCode.GRAPHQL_VALIDATION_FAILED && UNKNOWN_ENUM_VALUE.test(formatted.message)) {
    return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT } };
  }
  return formatted;
}
