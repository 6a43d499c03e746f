import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from './errors';

/**
 * Apollo Server files every validation error under GRAPHQL_VALIDATION_FAILED, overwriting the
 * code a rule gave it. Our limits (depth, aliases, root fields, directives, strings) name their
 * own code, kept on the original error, so that a caller can tell which limit it hit: this is
 * that code, for the gateway's and the subgraphs' error formatting alike (undefined otherwise).
 */
export function validationRuleCode(formatted: GraphQLFormattedError, error: unknown): string | undefined {
  if (formatted.extensions?.code !== ErrorCode.GRAPHQL_VALIDATION_FAILED) return undefined;
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  const ruleCode = original instanceof GraphQLError ? original.extensions?.code : undefined;
  return typeof ruleCode === 'string' && ruleCode !== ErrorCode.GRAPHQL_VALIDATION_FAILED ? ruleCode : undefined;
}
