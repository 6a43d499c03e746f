import { createHash } from 'node:crypto';
import { ApolloGateway, buildOperationContext, executeQueryPlan, type GatewayConfig, type GraphQLDataSource } from '@apollo/gateway';
import type { OperationContext } from '@apollo/gateway/dist/operationContext';
import { computeResponse } from '@apollo/gateway/dist/resultShaping';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import { evaluateCondition, QueryPlanner, type DeferNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import type { GatewayExecutionResult, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { operationContextSpanAttributes, OpenTelemetrySpanNames, recordExceptions, requestContextSpanAttributes, tracer } from '@apollo/gateway/dist/utilities/opentelemetry';
import { executeSync, GraphQLError, Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
import { compilePlan, type CompiledPlan } from './compilePlan';
import { Bail, project } from './compileProjection';
import type { CompiledDefer } from './compileDefer';
import { acceptsDeferredParts, handOverDeferredParts } from './deferredParts';
import { runIncrementally } from './executeDefer';
import { executePlanNode, type PlanRun, type ServiceMap } from './executePlan';
import { responseObject } from '../responseObject';

/**
 * What ApolloGateway keeps private and its executor uses: the planner, the plan cache, the
 * schemas and the data sources. Read, never written; @apollo/gateway is pinned, and the
 * differential test fails if a new version moves them.
 */
interface GatewayInternals {
  schema?: GraphQLSchema;
  apiSchema?: Schema;
  supergraphSchema?: GraphQLSchema;
  queryPlanStore: { get(key: string): Promise<QueryPlan | undefined>; set(key: string, plan: QueryPlan): Promise<void> };
  queryPlanner?: QueryPlanner;
  serviceMap: Record<string, { dataSource: GraphQLDataSource }>;
  recursiveSelectionsLimitDisabled: boolean;
  nonLocalSelectionsLimitDisabled: boolean;
  config: GatewayConfig;
  validateIncomingRequest(requestContext: GatewayGraphQLRequestContext, operationContext: OperationContext): GraphQLError[];
}

export interface ExecutorEvents {
  /** A request served by stock's executor, and why (a Defer node, introspection, ...). */
  fellBack(reason: string): void;
  /** The first time an operation is compiled to stock's executor. */
  compiledToStock(operationName: string | undefined, reason: string): void;
}

/**
 * ApolloGateway with our executor for the plans its planner makes (gateway/src/executor/README.md).
 * Planning, the plan cache, validation of variables and the data sources are stock's; running
 * the plan and shaping the response are ours, compiled once per plan.
 */
export class OwnExecutorGateway extends ApolloGateway {
  /** Compiled beside each cached plan: dropped with it when the plan cache evicts it. */
  private readonly compiled = new WeakMap<QueryPlan, CompiledPlan>();
  /** Per supergraph's planner, its twin that plans `@defer` away (made on first need). */
  private readonly withoutDefer = new WeakMap<QueryPlanner, QueryPlanner>();

  constructor(
    config: GatewayConfig,
    private readonly events: ExecutorEvents,
    /** Subgraphs whose entity fetches are never combined with their siblings' (PlanRun.separateFetches). */
    private readonly separateFetches: ReadonlySet<string> = new Set(),
  ) {
    super(config);
  }

  /** Stock's spans (gateway.request, .validate, .plan, .execute, .fetch, .postprocessing), so a trace looks the same whichever executor ran. */
  override executor = (requestContext: GatewayGraphQLRequestContext): Promise<GatewayExecutionResult> => {
    const telemetry = (this as unknown as GatewayInternals).config.telemetry;
    return tracer.startActiveSpan(OpenTelemetrySpanNames.REQUEST, { attributes: requestContextSpanAttributes(requestContext, telemetry) }, async (span) => {
      try {
        const result = await this.execute(requestContext, span);
        if (result.errors) failed(span, result.errors, telemetry);
        return result;
      } catch (err) {
        failed(span, [err], telemetry);
        throw err;
      } finally {
        span.end();
      }
    });
  };

  private planner(self: GatewayInternals, withoutDefer: boolean): QueryPlanner {
    const planner = self.queryPlanner!;
    if (!withoutDefer) return planner;
    let twin = this.withoutDefer.get(planner);
    if (!twin) {
      const config = self.config.queryPlannerConfig ?? {};
      twin = new QueryPlanner(planner.supergraph, { ...config, incrementalDelivery: { ...config.incrementalDelivery, enableDefer: false } });
      this.withoutDefer.set(planner, twin);
    }
    return twin;
  }

  private async execute(requestContext: GatewayGraphQLRequestContext, span: Span): Promise<GatewayExecutionResult> {
    const self = this as unknown as GatewayInternals;
    const { request, document, queryHash } = requestContext;
    // A client that takes no multipart answer gets its `@defer` planned away: the plan stock's
    // gateway makes (one fetch per subgraph where the deferred plan makes one per part), cached
    // apart from the deferred one. Documents without `@defer` plan the same either way.
    const inParts = acceptsDeferredParts(requestContext);
    const plannedAway = !inParts && self.config.queryPlannerConfig?.incrementalDelivery?.enableDefer === true && requestContext.source.includes('@defer');
    const stockKey = request.operationName ? createHash('sha256').update(queryHash).update(request.operationName).digest('hex') : queryHash;
    const planKey = plannedAway ? `${stockKey}:without-defer` : stockKey;
    const operationContext = buildOperationContext({ schema: self.schema!, operationDocument: document, operationName: request.operationName });
    span.setAttributes(operationContextSpanAttributes(operationContext));
    const validationErrors = self.validateIncomingRequest(requestContext, operationContext);
    if (validationErrors.length > 0) return { errors: validationErrors };

    let plan = await self.queryPlanStore.get(planKey);
    if (!plan) {
      plan = tracer.startActiveSpan(OpenTelemetrySpanNames.PLAN, request.operationName ? { attributes: { 'graphql.operation.name': request.operationName } } : {}, (planSpan) => {
        try {
          const operation = operationFromDocument(self.apiSchema!, document, { operationName: request.operationName });
          return this.planner(self, plannedAway).buildQueryPlan(operation, {
            recursiveSelectionsLimitDisabled: self.recursiveSelectionsLimitDisabled,
            nonLocalSelectionsLimitDisabled: self.nonLocalSelectionsLimitDisabled,
          });
        } catch (err) {
          failed(planSpan, [err], self.config.telemetry);
          throw err;
        } finally {
          planSpan.end();
        }
      });
      try {
        await self.queryPlanStore.set(planKey, plan);
      } catch (err) {
        requestContext.logger?.warn(`Could not store queryPlan${(err as Error)?.message ?? err}`);
      }
    }

    const serviceMap: ServiceMap = Object.create(null);
    for (const [name, { dataSource }] of Object.entries(self.serviceMap)) serviceMap[name] = dataSource;

    let compiled = this.compiled.get(plan);
    if (!compiled) {
      compiled = compilePlan(plan, operationContext, self.apiSchema!);
      this.compiled.set(plan, compiled);
      if (compiled.kind === 'stock') this.events.compiledToStock(request.operationName ?? operationContext.operation.name?.value, compiled.reason);
    }
    // Studio traces per plan node are stock's alone.
    const reason = compiled.kind === 'stock' ? compiled.reason : requestContext.metrics?.captureTraces ? 'query plan traces' : undefined;
    if (reason !== undefined || compiled.kind !== 'ours') {
      this.events.fellBack(reason ?? 'unknown');
      return executeQueryPlan(plan, serviceMap, requestContext, operationContext, self.supergraphSchema!, self.apiSchema!, self.config.telemetry);
    }
    const ours = compiled;
    const root = plan.node as PlanNode | undefined;
    return tracer.startActiveSpan(OpenTelemetrySpanNames.EXECUTE, async (executeSpan) => {
      try {
        const errors: Error[] = [];
        const data: Record<string, any> = responseObject();
        const run: PlanRun = { serviceMap, requestContext, supergraphSchema: self.supergraphSchema!, variableDefinitions: ours.operation.variableDefinitions, errors, separateFetches: this.separateFetches };
        const cursor = { path: [], data, fullResult: data };
        const deferred = ours.defers && inParts ? deferAtRoot(run, root, ours.defers) : undefined;
        if (deferred) {
          const incremental = await runIncrementally(run, deferred.node, deferred.compiled, data);
          if (incremental) {
            handOverDeferredParts(requestContext.context, incremental.rest);
            return incremental.initial as GatewayExecutionResult;
          }
          // The first payload's shape is one only stock's shaping answers: one payload, all parts.
          await Promise.all(deferred.node.deferred.map((part) => part.node && executePlanNode(run, part.node, cursor)));
        } else if (root) {
          // Subscription plans compile to stock's executor.
          await executePlanNode(run, root, cursor);
        }
        const result = tracer.startActiveSpan(OpenTelemetrySpanNames.POST_PROCESSING, (postSpan) => {
          try {
            return shape(ours, requestContext, operationContext, data, errors as GraphQLError[]);
          } finally {
            postSpan.end();
          }
        });
        if (result.errors) failed(executeSpan, result.errors, self.config.telemetry);
        return result;
      } catch (err) {
        failed(executeSpan, [err], self.config.telemetry);
        throw err;
      } finally {
        executeSpan.end();
      }
    });
  }
}

/** The Defer node this request delivers in parts, through the root Conditions its variables choose; undefined when it has none. */
function deferAtRoot(run: PlanRun, root: PlanNode | undefined, defers: Map<DeferNode, CompiledDefer>): { node: DeferNode; compiled: CompiledDefer } | undefined {
  let node = root;
  while (node?.kind === 'Condition') {
    node = evaluateCondition(node, run.variableDefinitions, run.requestContext.request.variables) ? node.ifClause : node.elseClause;
  }
  const compiled = node?.kind === 'Defer' ? defers.get(node) : undefined;
  return compiled && { node: node as DeferNode, compiled };
}

function failed(span: Span, errors: readonly unknown[], telemetry: GatewayConfig['telemetry']): void {
  recordExceptions(span, errors as never, telemetry);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** The response from the merged data, with stock's rules for post-processing errors. */
function shape(compiled: Extract<CompiledPlan, { kind: 'ours' }>, requestContext: GatewayGraphQLRequestContext, operationContext: OperationContext, input: Record<string, any>, errors: GraphQLError[]): GatewayExecutionResult {
  const variables = requestContext.request.variables;
  let data: Record<string, any> | null | undefined;
  let completionErrors: GraphQLError[];
  try {
    try {
      ({ data, errors: completionErrors } = project(compiled.projection, variables, input));
    } catch (error) {
      // A shape stock asserts on (Bail), or a fault of ours: stock's own shaping answers it from
      // the same data, error message included, rather than ours answering wrong.
      if (!(error instanceof Bail)) requestContext.logger?.error(`executor: projection failed, stock's shaping answers: ${(error as Error)?.stack ?? error}`);
      ({ data, errors: completionErrors } = computeResponse({
        operation: compiled.operation,
        variables,
        input,
        introspectionHandling: (field) => introspect(operationContext, field.expandFragments().toSelectionNode(), variables),
      }));
    }
    if (errors.length === 0 && completionErrors.length > 0) return { extensions: { valueCompletion: completionErrors }, data };
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [error] };
    if (error instanceof Error) return { errors: [new GraphQLError(error.message, { originalError: error })] };
    requestContext.logger?.error(`Unexpected error during query plan execution: ${error}`);
    return { errors: [new GraphQLError('Unexpected error during query plan execution')] };
  }
  return errors.length === 0 ? { data } : { errors, data };
}

/** Never reached for plans we run (introspection compiles to stock), but computeResponse wants it. */
function introspect(operationContext: OperationContext, selection: import('graphql').FieldNode, variables: Record<string, any> | undefined): unknown {
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [{ kind: Kind.OPERATION_DEFINITION, operation: 'query' as never, variableDefinitions: operationContext.operation.variableDefinitions, selectionSet: { kind: Kind.SELECTION_SET, selections: [selection] } }],
  };
  const { data } = executeSync({ schema: operationContext.schema, document, rootValue: {}, variableValues: variables });
  return data?.[selection.alias?.value ?? selection.name.value];
}
