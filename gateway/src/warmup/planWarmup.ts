import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  getNamedType, getNullableType, isEnumType, isInputObjectType, isListType, isNonNullType, Kind, parse, typeFromAST,
  type GraphQLInputType, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';
import type { GatewayContext } from '../auth/gatewayContext';
import { DEFER_SPEC_20220824 } from '../executor/deferredParts';
import type { PersistedQueryManifest } from '../persistedQueries/trustedDocumentsPlugin';

/**
 * Marks the context of a warm-up request, with the fetches its plan asked for: no fetch leaves
 * the gateway for it, and no metric counts it. A property, not a WeakMap of contexts: Apollo's
 * `executeOperation` runs on a copy of the context it is given.
 */
const WARMUP = Symbol('plan warm-up');
type WarmupContext = GatewayContext & { [WARMUP]?: { fetches: number } };

function warmupOf(contextValue: unknown): { fetches: number } | undefined {
  return typeof contextValue === 'object' && contextValue !== null ? (contextValue as WarmupContext)[WARMUP] : undefined;
}

export function isWarmup(contextValue: unknown): boolean {
  return warmupOf(contextValue) !== undefined;
}

export const NOT_FETCHED_MESSAGE = 'plan warm-up: not fetched';

/**
 * The outermost layer of every subgraph's data source: a warm-up request's fetches stop here, at
 * once, before any retry, breaker, cache or fallback sees them. So warming a mutation plans it
 * and changes nothing, and warming costs the subgraphs nothing.
 */
export class WarmupGuardDataSource implements GraphQLDataSource {
  constructor(private readonly inner: GraphQLDataSource) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const warmup = warmupOf(options.context);
    if (warmup) {
      // Only a planned operation gets this far: proof for warmPlans that it was planned.
      warmup.fetches += 1;
      return { errors: [{ message: NOT_FETCHED_MESSAGE }] as GatewayGraphQLResponse['errors'] };
    }
    return this.inner.process(options);
  }
}

export interface WarmupResult {
  /** Operations that reached the executor: parsed, validated, estimated and planned. */
  planned: string[];
  /** Operations that did not (with the first error), logged: they plan on their first request. */
  failed: { name: string; error: string }[];
  ms: number;
}

/**
 * No cold start: every operation in the persisted-query manifest goes once through the whole
 * request pipeline (parse, validation, the cost estimate, the query plan, the executor's own
 * preparation) before the gateway says it is ready, so the first client request of each pays
 * none of it. Run through Apollo Server itself, not the planner's internals, so that it warms
 * whatever the executor caches, whichever executor runs. Its fetches are refused by
 * WarmupGuardDataSource (and a warm-up context is none of a client's).
 *
 * Variables are the least that validates (a required argument gets a value of its type: "warmup",
 * 1, false, an enum's first value, an input's required fields); the plan doesn't depend on them.
 */
export async function warmPlans(apollo: ApolloServer<GatewayContext>, manifest: PersistedQueryManifest, apiSchema: GraphQLSchema): Promise<WarmupResult> {
  const started = performance.now();
  const planned: string[] = [];
  const failed: WarmupResult['failed'] = [];
  for (const operation of manifest.operations) {
    const warmup = { fetches: 0 };
    const contextValue: WarmupContext = { viewer: null, [WARMUP]: warmup };
    try {
      const variables = sampleVariables(apiSchema, operation.body, operation.name);
      let errors: readonly { message: string; extensions?: Record<string, unknown> }[] = [];
      // With `@defer`, planned both ways: in parts, and planned away for a client that takes one answer.
      for (const accept of operation.body.includes('@defer') ? [DEFER_SPEC_20220824, undefined] : [undefined]) {
        const http = accept ? { method: 'POST', headers: new HeaderMap([['accept', accept]]), search: '', body: undefined } : undefined;
        const response = await apollo.executeOperation({ query: operation.body, operationName: operation.name, variables, http }, { contextValue });
        if (response.body.kind === 'single') errors = response.body.singleResult.errors ?? [];
      }
      if (warmup.fetches > 0) planned.push(operation.name);
      else failed.push({ name: operation.name, error: errors[0] ? `${String(errors[0].extensions?.code)}: ${errors[0].message}` : 'no fetch planned' });
    } catch (err) {
      failed.push({ name: operation.name, error: (err as Error).message });
    }
  }
  return { planned, failed, ms: performance.now() - started };
}

function sampleVariables(schema: GraphQLSchema, body: string, operationName: string): Record<string, unknown> {
  const definition = parse(body).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === operationName,
  );
  const variables: Record<string, unknown> = {};
  for (const variable of definition?.variableDefinitions ?? []) {
    const type = typeFromAST(schema, variable.type as never) as GraphQLInputType | undefined;
    if (type && isNonNullType(type) && !variable.defaultValue) variables[variable.variable.name.value] = sampleValue(type);
  }
  return variables;
}

function sampleValue(type: GraphQLInputType): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [];
  const named = getNamedType(nullable);
  if (isEnumType(named)) return named.getValues()[0]?.value;
  if (isInputObjectType(named)) {
    return Object.fromEntries(Object.values(named.getFields())
      .filter((field) => isNonNullType(field.type) && field.defaultValue === undefined)
      .map((field) => [field.name, sampleValue(field.type)]));
  }
  switch (named.name) {
    case 'Int': case 'Float': return 1;
    case 'Boolean': return false;
    default: return 'warmup';
  }
}
