import { Kind, type DocumentNode } from 'graphql';
import { operationFromDocument, type Operation, type Schema } from '@apollo/federation-internals';
import type { DeferNode, PlanNode, QueryPlan, SubscriptionNode } from '@apollo/query-planner';
import type { OperationContext } from '@apollo/gateway/dist/operationContext';
import { compileDefers, type CompiledDefer } from './compileDefer';
import { compileProjection, type Projection } from './compileProjection';

/** What a (document, operation name) compiles to: run by us, or why stock's executor runs it. */
export type CompiledPlan =
  | {
      kind: 'ours';
      operation: Operation;
      projection: Projection;
      /** The Defer nodes delivered in parts; absent when the plan has none or is answered in one payload (compileDefer.ts). */
      defers?: Map<DeferNode, CompiledDefer>;
    }
  | { kind: 'stock'; reason: string };

/**
 * Compiles a plan once (the caller keeps the result beside the plan in the plan cache's life).
 * The operation is built as stock builds it for shaping (from the operation and its fragments,
 * unvalidated), so that `@skip`/`@include` defaults and fragments read the same.
 */
export function compilePlan(plan: QueryPlan, operationContext: OperationContext, apiSchema: Schema): CompiledPlan {
  const unsupported = plan.node && unsupportedNode(plan.node);
  if (unsupported) return { kind: 'stock', reason: unsupported };
  let operation: Operation;
  try {
    const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operationContext.operation, ...Object.values(operationContext.fragments)] };
    operation = operationFromDocument(apiSchema, document, { validate: false });
  } catch {
    // Stock reports this error its own way.
    return { kind: 'stock', reason: 'operation not buildable' };
  }
  const projection = compileProjection(operation);
  if (!projection) return { kind: 'stock', reason: 'schema introspection' };
  return { kind: 'ours', operation, projection, defers: compileDefers(plan.node as PlanNode | undefined, operation, projection) };
}

/** The first node this executor doesn't run, described; undefined when it runs them all. */
function unsupportedNode(node: PlanNode | SubscriptionNode): string | undefined {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) {
        const found = unsupportedNode(child);
        if (found) return found;
      }
      return undefined;
    case 'Flatten':
      return unsupportedNode(node.node);
    case 'Defer':
      for (const child of [node.primary.node, ...node.deferred.map((d) => d.node)]) {
        const found = child && unsupportedNode(child);
        if (found) return found;
      }
      return undefined;
    case 'Condition':
      return (node.ifClause && unsupportedNode(node.ifClause)) || (node.elseClause && unsupportedNode(node.elseClause)) || undefined;
    case 'Fetch':
      // Stock ignores context rewrites (@fromContext); so would we, but only stock may answer that way.
      return node.contextRewrites && node.contextRewrites.length > 0 ? 'context rewrites' : undefined;
    default:
      return `${node.kind} node`;
  }
}
