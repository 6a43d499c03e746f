import { isCompositeType, type CompositeType, type Operation } from '@apollo/federation-internals';
import type { DeferNode, DeferredNode, PlanNode } from '@apollo/query-planner';
import { compileSubselection, typeAtResponseName, type Projection } from './compileProjection';

/** One step of a deferred fragment's path in the response: a field, or a type condition the object must meet. */
export type DeferPathStep = { field: string } | { typeCondition: CompositeType };

export interface CompiledDeferred {
  node: DeferredNode;
  /** The client's label; absent when the client gave none (the planner's own `qp__N` names are not the client's). */
  label?: string;
  path: DeferPathStep[];
  /** What this payload selects, on each object at `path`. */
  projection: Projection;
}

/** A `@defer` the executor delivers incrementally: the first payload's projection, then each deferred part's. */
export interface CompiledDefer {
  /** Undefined when the operation defers everything: the first payload is `{}`. */
  primary?: Projection;
  deferred: CompiledDeferred[];
}

/**
 * Compiles the Defer nodes the executor delivers in parts: the plan's root, or the branches of
 * root Conditions (`@defer(if: $var)` plans both ways). A plan with a Defer node anywhere else
 * (a `@defer` nested in a deferred fragment, say), or a part the planner describes in a way not
 * compiled here, compiles to nothing: that operation is answered in one payload, all parts
 * executed and merged, which the incremental delivery spec allows a server to do for any `@defer`.
 */
export function compileDefers(root: PlanNode | undefined, operation: Operation, full: Projection): Map<DeferNode, CompiledDefer> | undefined {
  const roots: DeferNode[] = [];
  const collectRoots = (node: PlanNode | undefined): boolean => {
    if (!node) return true;
    if (node.kind === 'Condition') return collectRoots(node.ifClause) && collectRoots(node.elseClause);
    if (node.kind === 'Defer') {
      roots.push(node);
      return !containsDefer(node.primary.node) && node.deferred.every((d) => !containsDefer(d.node));
    }
    return !containsDefer(node);
  };
  if (!collectRoots(root) || roots.length === 0) return undefined;
  const compiled = new Map<DeferNode, CompiledDefer>();
  for (const node of roots) {
    const one = compileDefer(node, operation, full);
    if (!one) return undefined;
    compiled.set(node, one);
  }
  return compiled;
}

function compileDefer(node: DeferNode, operation: Operation, full: Projection): CompiledDefer | undefined {
  let primary: Projection | undefined;
  if (node.primary.subselection !== undefined) {
    primary = compileSubselection(operation, full.rootType, node.primary.subselection);
    if (!primary) return undefined;
  }
  const deferred: CompiledDeferred[] = [];
  for (const part of node.deferred) {
    if (part.subselection === undefined) return undefined;
    const located = locate(part.queryPath, full);
    if (!located) return undefined;
    const projection = compileSubselection(operation, located.type, part.subselection);
    if (!projection) return undefined;
    deferred.push({ node: part, label: part.label && !PLANNER_LABEL.test(part.label) ? part.label : undefined, path: located.path, projection });
  }
  return { primary, deferred };
}

/** The labels the planner gives a `@defer` that has none (federation-internals, DeferNormalizer). */
const PLANNER_LABEL = /^qp__\d+$/;

/** The planner's query path (response names and `... on T`) as steps, with the type it ends on. */
function locate(queryPath: string[], full: Projection): { path: DeferPathStep[]; type: CompositeType } | undefined {
  let type: CompositeType = full.rootType;
  let selections = full.selectionSet;
  const path: DeferPathStep[] = [];
  for (const element of queryPath) {
    if (element.startsWith('... on ')) {
      const named = full.schema.type(element.slice('... on '.length));
      if (!named || !isCompositeType(named)) return undefined;
      type = named;
      path.push({ typeCondition: named });
    } else {
      const found = typeAtResponseName(selections, element);
      if (!found) return undefined;
      type = found.type;
      selections = found.selectionSet;
      path.push({ field: element });
    }
  }
  return { path, type };
}

function containsDefer(node: PlanNode | undefined): boolean {
  if (!node) return false;
  switch (node.kind) {
    case 'Defer':
      return true;
    case 'Sequence':
    case 'Parallel':
      return node.nodes.some(containsDefer);
    case 'Flatten':
      return containsDefer(node.node);
    case 'Condition':
      return containsDefer(node.ifClause) || containsDefer(node.elseClause);
    default:
      return false;
  }
}
