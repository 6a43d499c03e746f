import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode } from '@streaming/platform/core';
import { GraphQLError, type ValidationRule } from 'graphql';

// A UTF-16 surrogate without its pair: what invalid UTF-8 or a crafted "\ud800" escape decodes to.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string may not reach a subgraph, or undefined when it may. */
export function stringProblem(value: string, maxLength: number): string | undefined {
  if (value.length > maxLength) return `is ${value.length} characters long; at most ${maxLength} are accepted`;
  // Postgres can't store NUL in text and fails the whole statement; no id or name contains one.
  if (value.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(value) || value.includes('\uFFFD')) return 'is not valid UTF-8 text';
  return undefined;
}

function refuse(where: string, problem: string): GraphQLError {
  return new GraphQLError(`${where} ${problem}.`, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
}

/**
 * Hostile strings are refused at the edge, not forwarded for a subgraph (or its database) to
 * discover: overlong values, NUL bytes and broken UTF-8, written inline (a validation rule, so
 * checked once per document) or sent as variables (checked per request).
 */
export function stringLiteralRule(maxLength: number): ValidationRule {
  return (context) => ({
    StringValue(node) {
      const problem = stringProblem(node.value, maxLength);
      if (problem) context.reportError(new GraphQLError(`A string argument ${problem}.`, { nodes: [node], extensions: { code: ErrorCode.BAD_USER_INPUT } }));
    },
  });
}

export function stringVariablesPlugin(maxLength: number): ApolloServerPlugin<BaseContext> {
  const check = (value: unknown, path: string, depth: number): void => {
    if (typeof value === 'string') {
      const problem = stringProblem(value, maxLength);
      if (problem) throw refuse(`Variable ${path}`, problem);
    } else if (value && typeof value === 'object') {
      // Deeper than any input type here nests: a crafted blob, not an input.
      if (depth > 10) throw refuse(`Variable ${path}`, 'nests deeper than any input type');
      for (const [key, v] of Object.entries(value)) check(v, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
    }
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request }) {
          for (const [name, value] of Object.entries(request.variables ?? {})) check(value, `$${name}`, 0);
        },
      };
    },
  };
}
