import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, Kind, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';
import { numberFrom, type Env } from '../config';
import { ErrorCode } from './errors';

export interface StructuralLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxDirectives: number;
  maxTokens: number;
  /** "Did you mean ...?" in validation errors hands the schema to anyone probing it. */
  blockFieldSuggestions: boolean;
}

export interface StructuralProtection {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin<BaseContext>[];
  parseOptions: ParseOptions;
}

/**
 * The limits as configured (MAX_DEPTH, MAX_ALIASES, ...; README, "Limits"), read once for the
 * gateway, which holds clients to them, and for the subgraphs, which hold any caller to the same
 * ones: an operation the gateway plans from a client operation within them stays within them
 * (a fetch is a suffix of the client's paths under one `_entities` field, and the planner adds
 * no aliases or directives of its own). Suggestions are masked in production.
 */
export function structuralLimitsFromEnv(env: Env): StructuralLimits {
  const int = (name: string, fallback: number) => numberFrom(env, name, fallback, 'wholeNonNegative');
  return {
    maxDepth: int('MAX_DEPTH', 12),
    maxAliases: int('MAX_ALIASES', 30),
    maxRootFields: int('MAX_ROOT_FIELDS', 20),
    maxDirectives: int('MAX_DIRECTIVES', 50),
    maxTokens: int('MAX_TOKENS', 3_000),
    blockFieldSuggestions: env.NODE_ENV === 'production',
  };
}

/**
 * Limits on an operation's shape, checked while parsing and validating (so once per document:
 * Apollo Server keeps validated documents). Depth, aliases, directives and suggestion masking
 * come from GraphQL Armor's rules, each reported under its own code instead of Armor's generic
 * BAD_USER_INPUT so a client can tell which limit it hit. The token limit is graphql-js' own
 * `maxTokens` parse option: Armor's Apollo token plugin parses every document twice.
 */
export function structuralLimits(limits: StructuralLimits): StructuralProtection {
  const reportAs = (code: string) => ({
    propagateOnRejection: false,
    onReject: [(ctx: ValidationContext | null, error: GraphQLError) => ctx?.reportError(new GraphQLError(error.message, { extensions: { code } }))],
  });
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ...reportAs(ErrorCode.MAX_DEPTH_EXCEEDED) },
    maxAliases: { n: limits.maxAliases, ...reportAs(ErrorCode.MAX_ALIASES_EXCEEDED) },
    maxDirectives: { n: limits.maxDirectives, ...reportAs(ErrorCode.MAX_DIRECTIVES_EXCEEDED) },
    blockFieldSuggestion: { enabled: limits.blockFieldSuggestions },
    // Ours instead: the demand-control estimator (costLimitPlugin) and the parser's own limit.
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
  }).protect();
  return {
    validationRules: [...armor.validationRules, maxRootFieldsRule(limits.maxRootFields)],
    plugins: armor.plugins,
    parseOptions: { maxTokens: limits.maxTokens },
  };
}

/** Top-level fields per operation (through fragments too); Armor has no rule for these. */
export function maxRootFieldsRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      let count = 0;
      const seen = new Set<string>();
      const walk = (selections: readonly import('graphql').SelectionNode[]) => {
        for (const s of selections) {
          if (count > max) return;
          if (s.kind === Kind.FIELD) count += s.name.value === '__typename' ? 0 : 1;
          else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet.selections);
          else if (!seen.has(s.name.value)) {
            seen.add(s.name.value);
            const fragment = context.getFragment(s.name.value);
            if (fragment) walk(fragment.selectionSet.selections);
          }
        }
      };
      walk(operation.selectionSet.selections);
      if (count > max) {
        context.reportError(new GraphQLError(`Operation has more than ${max} root fields.`, {
          nodes: [operation], extensions: { code: ErrorCode.MAX_ROOT_FIELDS_EXCEEDED },
        }));
      }
    },
  });
}
