import { ERRORS, isSubtype } from '@apollo/federation-internals';
import type { DeferNode, FetchNode, PlanNode } from '@apollo/query-planner';
import type { GraphQLError } from 'graphql';
import type { CompiledDefer, CompiledDeferred, DeferPathStep } from './compileDefer';
import { Bail, project } from './compileProjection';
import { executePlanNode, type PlanRun } from './executePlan';
import { responseObject } from '../responseObject';

/*
 * Runs a Defer node in parts, for a client that takes incremental answers (`multipart/mixed;
 * deferSpec=20220824`): the primary part first, shaped into the first payload by its own
 * projection; then every deferred part at once, each shaped into the objects at its path and
 * delivered as soon as it is done, whatever the order. A deferred part's fetch errors and its
 * subgraphs go with its own payload, so a slow or failing subgraph that only deferred parts
 * need delays or degrades only those.
 *
 * The deferred parts start when the first payload has been handed to the HTTP layer and it asks
 * for the next (rest()): their fetches begin a few microseconds later than they could, and in
 * exchange what the first payload reports (its errors, the subgraphs it degraded) is exactly
 * the primary part's, and a client gone before that costs no deferred fetch.
 */

export interface DeferredItem {
  path: (string | number)[];
  data: Record<string, any> | null;
  errors?: GraphQLError[];
  extensions?: Record<string, unknown>;
}

/** One deferred part, done: its items (one per object at its path) and the subgraphs it fetched from. */
export interface DeferredPayload {
  label?: string;
  items: DeferredItem[];
  services: string[];
}

export interface IncrementalRun {
  /** The first payload, as the executor's result (`extensions.valueCompletion` as stock gives it). */
  initial: { data: Record<string, any> | null | undefined; errors?: GraphQLError[]; extensions?: Record<string, unknown> };
  /** The deferred parts, started on the first call, in the order they complete; `last` on the last one. */
  rest(): AsyncGenerator<DeferredPayload & { last: boolean }>;
}

/**
 * The primary part, run and shaped; undefined if its shape is one stock's shaping must answer
 * (compileProjection.ts, Bail): the caller then answers in one payload from the same data.
 */
export async function runIncrementally(run: PlanRun, defer: DeferNode, compiled: CompiledDefer, data: Record<string, any>): Promise<IncrementalRun | undefined> {
  const variables = run.requestContext.request.variables;
  if (defer.primary.node) await executePlanNode(run, defer.primary.node, { path: [], data, fullResult: data });
  let shaped: { data: Record<string, any> | null | undefined; errors: GraphQLError[] };
  try {
    shaped = compiled.primary ? project(compiled.primary, variables, data) : { data: responseObject(), errors: [] };
  } catch (error) {
    if (error instanceof Bail) return undefined;
    throw error;
  }
  const fetchErrors = run.errors as GraphQLError[];
  const initial: IncrementalRun['initial'] = fetchErrors.length > 0
    ? { data: shaped.data, errors: fetchErrors }
    : shaped.errors.length > 0 ? { data: shaped.data, extensions: { valueCompletion: shaped.errors } } : { data: shaped.data };
  const visible = shaped.data;
  return {
    initial,
    async *rest() {
      if (!visible) return;
      const pending = new Map<number, Promise<[number, DeferredPayload]>>();
      compiled.deferred.forEach((part, index) => pending.set(index, runPart(run, part, data, compiled.primary ? visible : data).then((payload) => [index, payload])));
      while (pending.size > 0) {
        const [index, payload] = await Promise.race(pending.values());
        pending.delete(index);
        yield { ...payload, last: pending.size === 0 };
      }
    },
  };
}

async function runPart(parent: PlanRun, part: CompiledDeferred, data: Record<string, any>, visible: Record<string, any>): Promise<DeferredPayload> {
  const errors: GraphQLError[] = [];
  const run: PlanRun = { ...parent, errors };
  const services = part.node.node ? servicesOf(part.node.node) : [];
  try {
    if (part.node.node) await executePlanNode(run, part.node.node, { path: [], data, fullResult: data });
  } catch (error) {
    errors.push(ERRORS.INVALID_GRAPHQL.err(`Deferred part failed: ${(error as Error)?.message ?? error}`));
  }
  const variables = parent.requestContext.request.variables;
  const shapedItems = objectsAt(part, data, visible).map(({ path, object }) => {
    try {
      const shaped = project(part.projection, variables, object, path);
      return { path, data: shaped.data ?? null, completion: shaped.errors, errors: [] as GraphQLError[] };
    } catch (error) {
      if (!(error instanceof Bail)) throw error;
      // Stock's shaping can't answer a part on its own: this one fails visibly rather than wrongly.
      return { path, data: null, completion: [], errors: [ERRORS.INVALID_GRAPHQL.err(`Invalid data for the deferred fragment at ${path.join('.')}.`, { path })] };
    }
  });
  // Fetch errors go with the item they are about (their paths are in the response), or the first.
  for (const error of errors) {
    const item = shapedItems.find((candidate) => startsWith(error.path, candidate.path)) ?? shapedItems[0];
    item?.errors.push(error);
  }
  // As stock does for a whole answer, an item with fetch errors doesn't also report completion errors.
  const items: DeferredItem[] = shapedItems.map(({ path, data: itemData, completion, errors: itemErrors }) => ({
    path,
    data: itemData,
    ...(itemErrors.length > 0 ? { errors: itemErrors } : completion.length > 0 ? { extensions: { valueCompletion: completion } } : {}),
  }));
  return { ...(part.label !== undefined ? { label: part.label } : {}), items, services };
}

/**
 * The objects a deferred part fills, with their paths in the response: those at its path in the
 * merged data whose place the first payload kept (a parent nulled there gets no part).
 */
function objectsAt(part: CompiledDeferred, data: Record<string, any>, visible: Record<string, any>): { path: (string | number)[]; object: Record<string, any> }[] {
  const found: { path: (string | number)[]; object: Record<string, any> }[] = [];
  const walk = (raw: any, shown: any, steps: DeferPathStep[], path: (string | number)[]): void => {
    if (raw == null || shown == null) return;
    if (Array.isArray(raw)) {
      if (!Array.isArray(shown)) return;
      raw.forEach((element, i) => walk(element, shown[i], steps, [...path, i]));
      return;
    }
    if (typeof raw !== 'object') return;
    const [step, ...more] = steps;
    if (!step) {
      found.push({ path, object: raw });
    } else if ('field' in step) {
      walk(raw[step.field], shown[step.field], more, [...path, step.field]);
    } else {
      const type = typeof raw.__typename === 'string' ? part.projection.schema.type(raw.__typename) : undefined;
      if (type && isSubtype(step.typeCondition, type as never)) walk(raw, shown, more, path);
    }
  };
  walk(data, visible, part.path, []);
  return found;
}

function startsWith(path: readonly (string | number)[] | undefined, prefix: (string | number)[]): boolean {
  if (!path || path.length < prefix.length) return false;
  return prefix.every((element, i) => path[i] === element);
}

function servicesOf(node: PlanNode): string[] {
  const found = new Set<string>();
  const visit = (n: PlanNode | undefined): void => {
    if (!n) return;
    switch (n.kind) {
      case 'Fetch':
        found.add((n as FetchNode).serviceName);
        return;
      case 'Sequence':
      case 'Parallel':
        n.nodes.forEach(visit);
        return;
      case 'Flatten':
        visit(n.node);
        return;
      case 'Condition':
        visit(n.ifClause);
        visit(n.elseClause);
        return;
      case 'Defer':
        visit(n.primary.node);
        n.deferred.forEach((d) => visit(d.node));
    }
  };
  visit(node);
  return [...found].sort();
}
