import { errorCodeDef, ERRORS } from '@apollo/federation-internals';
import type { GraphQLDataSource } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { applyRewrites, isObjectOfType } from '@apollo/gateway/dist/dataRewrites';
import { deepMerge } from '@apollo/gateway/dist/utilities/deepMerge';
import { OpenTelemetrySpanNames, tracer } from '@apollo/gateway/dist/utilities/opentelemetry';
import { SpanStatusCode } from '@opentelemetry/api';
import { evaluateCondition, type FetchNode, type PlanNode, type QueryPlanFieldNode, type QueryPlanSelectionNode, type ResponsePath } from '@apollo/query-planner';
import type { VariableDefinitions } from '@apollo/federation-internals';
import type { GatewayGraphQLRequestContext, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError, type GraphQLErrorOptions, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { combinedFetch, siblingBatches, splitResponse, type SiblingBatch } from './siblingFetches';
import { responseObject } from '../responseObject';

/*
 * Runs a query plan's fetches and merges their answers into one tree of data, with stock's
 * semantics (@apollo/gateway, executeQueryPlan.ts): the same requests to the same data sources,
 * the same errors with the same paths, the same merge. What differs: an entity fetch sends each
 * distinct representation once and fans the answer (and the errors about it) back out to every
 * place that asked for it; a Parallel node's entity fetches to one subgraph go as one request
 * (siblingFetches.ts); and nothing is traced per node (the data sources measure the fetches).
 */

export type ServiceMap = Record<string, GraphQLDataSource>;

type ResultMap = Record<string, any>;

interface Cursor {
  path: ResponsePath;
  data: ResultMap | ResultMap[];
  fullResult: ResultMap;
}

export interface PlanRun {
  serviceMap: ServiceMap;
  requestContext: GatewayGraphQLRequestContext;
  supergraphSchema: GraphQLSchema;
  variableDefinitions: VariableDefinitions;
  errors: Error[];
  /**
   * Subgraphs whose fetches go out one per plan node even beside a sibling (siblingFetches.ts):
   * those whose data sources answer `_entities` entity by entity (the entity cache, last-good),
   * which a combined fetch would go around.
   */
  separateFetches?: ReadonlySet<string>;
}

export async function executePlanNode(run: PlanRun, node: PlanNode, cursor: Cursor | undefined): Promise<void> {
  if (!cursor) return;
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executePlanNode(run, child, cursor);
      return;
    case 'Parallel': {
      const batches = siblingBatches(node);
      if (batches.length === 0) {
        await Promise.all(node.nodes.map((child) => executePlanNode(run, child, cursor)));
        return;
      }
      const running: Promise<void>[] = [];
      const batched = new Set<FetchNode>();
      for (const batch of batches) {
        if (run.separateFetches?.has(batch.serviceName)) continue;
        for (const member of batch.members) batched.add(member.fetch);
        running.push(executeSiblingFetches(run, batch, cursor));
      }
      for (const child of node.nodes) {
        const fetch = child.kind === 'Flatten' ? child.node : child;
        if (!(fetch.kind === 'Fetch' && batched.has(fetch))) running.push(executePlanNode(run, child, cursor));
      }
      await Promise.all(running);
      return;
    }
    case 'Flatten':
      await executePlanNode(run, node.node, moveIntoCursor(cursor, node.path));
      return;
    case 'Fetch':
      await fetchSpan(node.serviceName, (failed) => executeFetch(run, node, cursor).catch((error) => failed(error)), run);
      return;
    case 'Condition': {
      const branch = evaluateCondition(node, run.variableDefinitions, run.requestContext.request.variables) ? node.ifClause : node.elseClause;
      if (branch) await executePlanNode(run, branch, cursor);
      return;
    }
    case 'Defer':
      // Answered in one payload (a plan not delivered in parts, compileDefer.ts): every part, once
      // the primary part has given what they depend on.
      if (node.primary.node) await executePlanNode(run, node.primary.node, cursor);
      await Promise.all(node.deferred.map((deferred) => deferred.node && executePlanNode(run, deferred.node, cursor)));
      return;
    default:
      // The compiler sends plans with other nodes (Subscription) to stock's executor.
      throw new Error(`Plan node ${(node as { kind: string }).kind} is not run by this executor`);
  }
}

/**
 * A span per fetch, as stock's (the subgraph's request span is its child); `failed` records an
 * error as stock records a fetch's exception (and marks the span), once per fetch it stands for.
 */
function fetchSpan(service: string, body: (failed: (error: unknown) => void) => Promise<void>, run: PlanRun): Promise<void> {
  return tracer.startActiveSpan(OpenTelemetrySpanNames.FETCH, { attributes: { service } }, async (span) => {
    try {
      await body((error) => {
        span.setStatus({ code: SpanStatusCode.ERROR });
        run.errors.push(error as Error);
      });
    } finally {
      span.end();
    }
  });
}

/** The client's variables a fetch uses, as stock passes them. */
function fetchVariables(run: PlanRun, fetch: FetchNode): ResultMap {
  const variables = Object.create(null);
  const provided = run.requestContext.request.variables;
  if (fetch.variableUsages && provided) {
    for (const name of fetch.variableUsages) {
      if (Object.prototype.hasOwnProperty.call(provided, name) && typeof provided[name] !== 'undefined') variables[name] = provided[name];
    }
  }
  return variables;
}

/** The entities at a cursor that a fetch there is about (stock skips the null ones). */
function entitiesAt(cursor: Cursor): ResultMap[] {
  return Array.isArray(cursor.data) ? cursor.data.filter((e) => e !== null && e !== undefined) : [cursor.data];
}

function assertService(run: PlanRun, fetch: FetchNode): void {
  if (!run.serviceMap[fetch.serviceName]) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
}

async function executeFetch(run: PlanRun, fetch: FetchNode, cursor: Cursor): Promise<void> {
  if (!fetch.requires) {
    assertService(run, fetch);
    const entities = entitiesAt(cursor);
    if (entities.length < 1) return;
    const received = receive(run, fetch, cursor, await process(run, fetch, cursor, fetchVariables(run, fetch)), undefined);
    if (received) applyRewrites(run.supergraphSchema, fetch.outputRewrites, received);
    for (const entity of entities) mergeInto(entity, received);
    return;
  }
  const prepared = prepareEntityFetch(run, fetch, cursor);
  if (prepared) await sendEntityFetch(run, prepared);
}

/** An entity fetch sent on its own, as stock sends it (with each distinct representation once). */
async function sendEntityFetch(run: PlanRun, prepared: PreparedEntityFetch): Promise<void> {
  const answer = await process(run, prepared.fetch, prepared.cursor, { ...prepared.variables, representations: prepared.representations });
  await completeEntityFetch(run, prepared, answer);
}

/** An entity fetch about to be sent: what it asks, and which places each answer goes to. */
interface PreparedEntityFetch {
  fetch: FetchNode;
  cursor: Cursor;
  entities: ResultMap[];
  /** The client's variables it uses (its representations go beside them). */
  variables: ResultMap;
  /** One per distinct entity key: what is sent. */
  representations: ResultMap[];
  /** `slots[j]` lists the (representation index in stock's numbering, entity index) pairs representation j answers. */
  slots: number[][];
  /** Every place's representation, as stock sends them. */
  everyOne: ResultMap[];
  entityOf: number[];
  requires: CompiledRequires | undefined;
}

/** The representations of an entity fetch, one per distinct entity key; undefined when there is nothing to ask. */
function prepareEntityFetch(run: PlanRun, fetch: FetchNode, cursor: Cursor): PreparedEntityFetch | undefined {
  assertService(run, fetch);
  const entities = entitiesAt(cursor);
  if (entities.length < 1) return undefined;
  const variables = fetchVariables(run, fetch);

  const representations: ResultMap[] = [];
  const slots: number[][] = [];
  const distinct = new DistinctRepresentations();
  const everyOne: ResultMap[] = [];
  const entityOf: number[] = [];
  const requires = compiledRequires(fetch);
  for (let index = 0; index < entities.length; index++) {
    let representation: ResultMap | null;
    let known: number | undefined;
    if (requires) {
      representation = representationOf(run.supergraphSchema, entities[index], requires);
      if (!representation) continue;
      known = distinct.numberOf(representation, requires.names, representations.length);
    } else {
      representation = executeSelectionSet(run.supergraphSchema, entities[index], fetch.requires!);
      if (!representation || !representation.__typename) continue;
      applyRewrites(run.supergraphSchema, fetch.inputRewrites, representation);
      known = distinct.numberOfKey(JSON.stringify(representation), representations.length);
    }
    if (known === undefined) {
      representations.push(representation);
      slots.push([everyOne.length, index]);
    } else {
      slots[known].push(everyOne.length, index);
    }
    everyOne.push(representation);
    entityOf.push(index);
  }
  if (representations.length < 1) return undefined;
  if ('representations' in variables) throw new Error('Variables cannot contain key "representations"');
  return { fetch, cursor, entities, variables, representations, slots, everyOne, entityOf, requires };
}

/** The answer to a prepared entity fetch (its representations sent once each), merged into every place that asked. */
async function completeEntityFetch(run: PlanRun, prepared: PreparedEntityFetch, answer: GatewayGraphQLResponse): Promise<void> {
  const { fetch, cursor, entities, everyOne, requires } = prepared;
  let sent = prepared.representations;
  let slots = prepared.slots;
  let response = answer;
  if (sent.length < everyOne.length && response.errors?.some((error) => typeof error.path?.[1] !== 'number')) {
    // An error that names no representation can't be fanned out to the places that asked for
    // it; asking again with every representation, as stock does, gets the errors stock gets.
    // Entity fetches are queries: asking twice changes nothing.
    sent = everyOne;
    slots = prepared.entityOf.map((index, j) => [j, index]);
    response = await process(run, fetch, cursor, { ...prepared.variables, representations: sent });
  }
  const received = receive(run, fetch, cursor, response, slots);
  if (!received) return;
  if (!(received._entities && Array.isArray(received._entities))) throw new Error('Expected "data._entities" in response to be an array');
  const receivedEntities = received._entities as (ResultMap | null)[];
  if (receivedEntities.length !== sent.length) throw new Error(`Expected "data._entities" to contain ${everyOne.length} elements`);

  // Copies merged as they are made: where nothing but the merge touches them.
  const copyWhileMerging = requires !== undefined && !(fetch.outputRewrites && fetch.outputRewrites.length > 0);
  for (let j = 0; j < receivedEntities.length; j++) {
    const slot = slots[j];
    for (let k = 0; k < slot.length; k += 2) {
      const existing = entities[slot[k + 1]];
      if (k === 0 || !copyWhileMerging) {
        // Every place gets its own copy: a later fetch merges into each place on its own.
        const receivedEntity = k === 0 ? receivedEntities[j] : cloneJson(receivedEntities[j]);
        if (receivedEntity && !receivedEntity.__typename) receivedEntity.__typename = existing.__typename;
        applyRewrites(run.supergraphSchema, fetch.outputRewrites, receivedEntity as ResultMap);
        mergeInto(existing, receivedEntity);
      } else {
        // As above for a copy of the answer: the first place gave it its __typename (the same
        // as every place's, since they share the representation), and only what the merge
        // keeps is copied.
        mergeInto(existing, receivedEntities[j], cloneJson);
      }
    }
  }
}

/**
 * A Parallel node's entity fetches to one subgraph, sent as one request (siblingFetches.ts):
 * each prepared as it would be alone, the combined answer split back, and each completed as it
 * would be alone. Where the answer can't be split for certain, each is asked apart.
 */
async function executeSiblingFetches(run: PlanRun, batch: SiblingBatch, cursor: Cursor): Promise<void> {
  const present: number[] = [];
  const prepared: PreparedEntityFetch[] = [];
  const failures: unknown[] = [];
  batch.members.forEach((member, i) => {
    const at = member.path.length > 0 ? moveIntoCursor(cursor, member.path) : cursor;
    if (!at) return;
    try {
      const fetch = prepareEntityFetch(run, member.fetch, at);
      if (fetch) {
        present.push(i);
        prepared.push(fetch);
      }
    } catch (error) {
      failures.push(error);
    }
  });
  if (prepared.length === 0 && failures.length === 0) return;
  await fetchSpan(batch.serviceName, async (failed) => {
    failures.forEach(failed);
    const combined = prepared.length > 1 ? combinedFetch(batch, present) : null;
    if (!combined) {
      await Promise.all(prepared.map((fetch) => sendEntityFetch(run, fetch).catch(failed)));
      return;
    }
    const variables: ResultMap = Object.create(null);
    for (const fetch of prepared) Object.assign(variables, fetch.variables);
    combined.representationVariables.forEach((name, k) => (variables[name] = prepared[k].representations));
    let answer: GatewayGraphQLResponse;
    try {
      answer = await process(run, combined, cursor, variables);
    } catch (error) {
      // Each of the fetches would have failed alone: each records it, as stock's would.
      prepared.forEach(() => failed(error));
      return;
    }
    const parts = splitResponse(answer, combined);
    await Promise.all(prepared.map((fetch, k) => (parts ? completeEntityFetch(run, fetch, parts[k]) : sendEntityFetch(run, fetch)).catch(failed)));
  }, run);
}

/**
 * What is the same for every run of an entity fetch, compiled once per fetch node: its
 * `requires` when it is the planner's usual one inline fragment of fields (representations
 * built without stock's general walk and merge) and it has no input rewrites (the dedup key
 * made from the fields' values, not the representation's JSON). Undefined: stock's walk.
 */
interface CompiledRequires {
  typeCondition: string;
  fields: QueryPlanFieldNode[];
  /** The representation's keys, in the order its JSON has them. */
  names: string[];
}

const requiresOf = new WeakMap<FetchNode, CompiledRequires | null>();

function compiledRequires(fetch: FetchNode): CompiledRequires | undefined {
  let compiled = requiresOf.get(fetch);
  if (compiled === undefined) {
    compiled = compileRequires(fetch);
    requiresOf.set(fetch, compiled);
  }
  return compiled ?? undefined;
}

function compileRequires(fetch: FetchNode): CompiledRequires | null {
  const requires = fetch.requires;
  if (!requires || requires.length !== 1 || (fetch.inputRewrites && fetch.inputRewrites.length > 0)) return null;
  const fragment = requires[0];
  if (fragment.kind !== 'InlineFragment' || !fragment.typeCondition) return null;
  const fields: QueryPlanFieldNode[] = [];
  const names: string[] = [];
  for (const selection of fragment.selections) {
    if (selection.kind !== 'Field') return null;
    const name = selection.alias ?? selection.name;
    fields.push(selection);
    if (!names.includes(name)) names.push(name);
  }
  return { typeCondition: fragment.typeCondition, fields, names };
}

/**
 * An entity's representation as stock's executeSelectionSet gives it for one inline fragment of
 * fields (the fragment's fields, or nothing when one is missing or the type doesn't match),
 * null where stock would skip the entity (no `__typename` in it).
 */
function representationOf(schema: GraphQLSchema, entity: ResultMap, requires: CompiledRequires): ResultMap | null {
  const typename = entity.__typename;
  if (typename !== requires.typeCondition && !isObjectOfType(schema, entity, requires.typeCondition)) return null;
  const result: ResultMap = responseObject();
  for (const field of requires.fields) {
    const responseName = field.alias ?? field.name;
    if (!Object.prototype.hasOwnProperty.call(entity, responseName)) return null;
    const value = entity[responseName];
    if (value === undefined) return null;
    const sub = field.selections;
    if (Array.isArray(value)) {
      result[responseName] = sub ? value.map((v: any) => executeSelectionSet(schema, v, sub)) : value.slice();
    } else if (sub) {
      result[responseName] = executeSelectionSet(schema, value, sub);
    } else {
      result[responseName] = value;
    }
  }
  return result.__typename ? result : null;
}

/**
 * The distinct representations of one entity fetch, numbered in the order they first appear.
 * One of two values, a string (the type name) and a string or finite number (the id), which is
 * nearly every representation, is found through a map per first value without a key string
 * made for it (on a home screen, a few hundred per fetch); any other through
 * `representationKey`. Neither kind can equal one of the other: their JSON differs.
 */
class DistinctRepresentations {
  private readonly byFirst = new Map<string, Map<string | number, number>>();
  private readonly byKey = new Map<string, number>();

  /** The number of an equal representation seen before; undefined (and `next` noted as its number) when it is new. */
  numberOf(representation: ResultMap, names: string[], next: number): number | undefined {
    if (names.length === 2) {
      const first = representation[names[0]];
      const second = representation[names[1]];
      if (typeof first === 'string' && (typeof second === 'string' || (typeof second === 'number' && Number.isFinite(second)))) {
        let bySecond = this.byFirst.get(first);
        if (!bySecond) this.byFirst.set(first, (bySecond = new Map()));
        const known = bySecond.get(second);
        if (known === undefined) bySecond.set(second, next);
        return known;
      }
    }
    return this.numberOfKey(representationKey(representation, names), next);
  }

  numberOfKey(key: string, next: number): number | undefined {
    const known = this.byKey.get(key);
    if (known === undefined) this.byKey.set(key, next);
    return known;
  }
}

/**
 * A key with the same equality as the representation's JSON: the representation's keys are the
 * same, in the same order, for every entity of the fetch, so its values say it all. Strings are
 * length-prefixed and other values tagged, so no two value lists give one key.
 */
function representationKey(representation: ResultMap, names: string[]): string {
  let key = '';
  for (let i = 0; i < names.length; i++) {
    const value = representation[names[i]];
    switch (typeof value) {
      case 'string':
        key += value.length + ':' + value;
        break;
      case 'number':
        key += 'n' + value + ';';
        break;
      case 'boolean':
        key += value ? 't' : 'f';
        break;
      default:
        if (value === null) {
          key += 'z';
        } else {
          const json = JSON.stringify(value);
          key += 'j' + json.length + ':' + json;
        }
    }
  }
  return key;
}

const hasOwn = Object.prototype.hasOwnProperty;

function isObject(value: unknown): value is ResultMap {
  return value !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value);
}

const asIs = <T>(value: T): T => value;

/**
 * Stock's deepMerge (utilities/deepMerge.ts), step for step, without its per-key calls. `keep`
 * is applied to what the target keeps from the source: `cloneJson` gives a place its own copy of
 * an answer fanned out to several (only what is kept is copied, not what is merged further down).
 */
function mergeInto(target: any, source: any, keep: <T>(value: T) => T = asIs): void {
  if (source === undefined || source === null) return;
  if (typeof target !== 'object' || target === null) {
    // Stock's own, for its own errors (a primitive in place of an object).
    deepMerge(target, keep(source));
    return;
  }
  const keys = Object.keys(source);
  for (let n = 0; n < keys.length; n++) {
    const key = keys[n];
    const value = source[key];
    if (value === undefined) continue;
    if (!hasOwn.call(target, key) && key in target) Object.defineProperty(target, key, { configurable: true, enumerable: true, value: undefined, writable: true });
    const current = target[key];
    if (current && isObject(value)) {
      mergeInto(current, value, keep);
    } else if (Array.isArray(value) && Array.isArray(current) && value.length === current.length) {
      for (let i = 0; i < value.length; i++) {
        if (isObject(current[i]) && isObject(value[i])) mergeInto(current[i], value[i], keep);
        else current[i] = keep(value[i]);
      }
    } else {
      target[key] = keep(value);
    }
  }
}

function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const out: ResultMap = responseObject();
  for (const key of Object.keys(value)) out[key] = cloneJson((value as ResultMap)[key]);
  return out as T;
}

/** A fetch's request through its subgraph's data source, as stock makes it (a combined sibling fetch is sent the same way). */
function process(run: PlanRun, fetch: Pick<FetchNode, 'serviceName' | 'operation' | 'operationName' | 'operationDocumentNode'>, cursor: Cursor, variables: ResultMap): Promise<GatewayGraphQLResponse> {
  const context = run.requestContext;
  return run.serviceMap[fetch.serviceName].process({
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query: fetch.operation, variables, operationName: fetch.operationName },
    incomingRequestContext: context,
    context: context.context,
    document: fetch.operationDocumentNode,
    pathInIncomingRequest: cursor.path,
  });
}

/** The answer's data; its errors recorded with stock's paths, fanned out to every place a representation stood for. */
function receive(run: PlanRun, fetch: FetchNode, cursor: Cursor, response: GatewayGraphQLResponse, slots: number[][] | undefined): ResultMap | null | undefined {
  const context = run.requestContext;
  if (response.errors) {
    const paths = errorPaths(fetch, cursor);
    for (const error of response.errors) {
      const index = error.path?.[1];
      if (slots && typeof index === 'number' && slots[index]) {
        // An error about a representation sent once for several places is reported at each, as
        // stock (which sent it once per place) reports it.
        const slot = slots[index];
        for (let k = 0; k < slot.length; k += 2) run.errors.push(downstreamServiceError(error, fetch.serviceName, paths(error.path, slot[k])));
      } else {
        run.errors.push(downstreamServiceError(error, fetch.serviceName, paths(error.path, typeof index === 'number' ? index : -1)));
      }
    }
    if (!response.extensions?.ftv1) {
      const errorPaths = response.errors.map((error) => ({ subgraph: fetch.serviceName, path: error.path }));
      if (context.metrics.nonFtv1ErrorPaths) context.metrics.nonFtv1ErrorPaths.push(...errorPaths);
      else context.metrics.nonFtv1ErrorPaths = errorPaths;
    }
  }
  return response.data;
}

/** Stock's error paths (makeLazyErrorPathGenerator), with the representation index given in stock's numbering. */
function errorPaths(fetch: FetchNode, cursor: Cursor): (path: GraphQLFormattedError['path'], stockIndex: number) => GraphQLErrorOptions['path'] {
  let hydrated: ResponsePath[] | undefined;
  return (path, stockIndex) => {
    if (fetch.requires && typeof path?.[1] === 'number') {
      if (!hydrated) {
        hydrated = [];
        generateHydratedPaths([], cursor.path, cursor.fullResult, hydrated);
      }
      return [...(hydrated[stockIndex] ?? []), ...path.slice(2)];
    }
    return path ? [...cursor.path, ...path.slice()] : undefined;
  };
}

function generateHydratedPaths(parent: ResponsePath, path: ResponsePath, data: ResultMap | null, result: ResponsePath[]): void {
  const head = path[0];
  if (data == null) return;
  if (head == null) {
    result.push(parent.slice());
  } else if (head === '@') {
    if (!Array.isArray(data)) throw new Error('expected array when encountering `@`');
    data.forEach((value, i) => {
      parent.push(i);
      generateHydratedPaths(parent, path.slice(1), value, result);
      parent.pop();
    });
  } else if (typeof head === 'string') {
    if (Array.isArray(data)) {
      data.forEach((value, i) => {
        parent.push(i);
        generateHydratedPaths(parent, path, value, result);
        parent.pop();
      });
    } else if (Object.prototype.hasOwnProperty.call(data, head)) {
      parent.push(head);
      generateHydratedPaths(parent, path.slice(1), data[head], result);
      parent.pop();
    }
  } else {
    throw new Error(`unknown path part "${head}"`);
  }
}

/** A representation from an entity, as stock builds it (executeSelectionSet). */
function executeSelectionSet(schema: GraphQLSchema, source: ResultMap | null, selections: QueryPlanSelectionNode[]): ResultMap | null {
  if (source === null) return null;
  const result: ResultMap = responseObject();
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const field = selection as QueryPlanFieldNode;
      const responseName = field.alias ?? field.name;
      const sub = field.selections;
      if (!Object.prototype.hasOwnProperty.call(source, responseName) || typeof source[responseName] === 'undefined') return null;
      const value = source[responseName];
      if (Array.isArray(value)) {
        result[responseName] = value.map((v: any) => (sub ? executeSelectionSet(schema, v, sub) : v));
      } else if (sub) {
        result[responseName] = executeSelectionSet(schema, value, sub);
      } else {
        result[responseName] = value;
      }
    } else if (selection.typeCondition && source && isObjectOfType(schema, source, selection.typeCondition)) {
      deepMerge(result, executeSelectionSet(schema, source, selection.selections));
    }
  }
  return result;
}

function moveIntoCursor(cursor: Cursor, pathInCursor: ResponsePath): Cursor | undefined {
  const data = flattenResultsAtPath(cursor.data, pathInCursor);
  return data ? { path: cursor.path.concat(pathInCursor), data, fullResult: cursor.fullResult } : undefined;
}

/**
 * Stock's flattenResultsAtPath, walking the path by index instead of copying its rest per step,
 * and with every list the path goes through (each '@') flattened into one array as it is walked:
 * stock's nested `flatMap`s build an array per element of each list but the last (a row's items,
 * on a home screen) only to copy them into the next.
 */
function flattenResultsAtPath(value: any, path: ResponsePath, from = 0): any {
  let step = from;
  for (; step < path.length && value !== undefined && value !== null && path[step] !== '@'; step++) value = stepInto(value, path[step]);
  if (step >= path.length || value === undefined || value === null) return value;
  const flattened: any[] = [];
  appendFlattened(flattened, value, path, step);
  return flattened;
}

/** One step of a path into an object, with stock's errors for a step that can't be one. */
function stepInto(value: any, current: string | number): any {
  if (typeof current !== 'string') throw new Error(`Unexpected ${typeof current} found in path`);
  if (Array.isArray(value)) throw new Error(`Unexpected array in result for path element ${current}`);
  return Object.prototype.hasOwnProperty.call(value, current) ? value[current] : undefined;
}

/**
 * Appends to `out` what stock's `value.flatMap(...)` at `path[at]` (an '@') gives: for each
 * element, the rest of the path walked from it, spread when that is a list.
 */
function appendFlattened(out: any[], value: any, path: ResponsePath, at: number): void {
  if (!Array.isArray(value)) {
    // Stock's own call, for its own error (or whatever a `flatMap` of it gives).
    const flattened = value.flatMap((element: any) => flattenResultsAtPath(element, path, at + 1));
    for (let i = 0; i < flattened.length; i++) out.push(flattened[i]);
    return;
  }
  for (let i = 0; i < value.length; i++) {
    let element = value[i];
    let step = at + 1;
    for (; step < path.length && element !== undefined && element !== null && path[step] !== '@'; step++) element = stepInto(element, path[step]);
    if (step < path.length && element !== undefined && element !== null) {
      appendFlattened(out, element, path, step);
    } else if (Array.isArray(element)) {
      for (let j = 0; j < element.length; j++) out.push(element[j]);
    } else {
      out.push(element);
    }
  }
}

function downstreamServiceError(original: GraphQLFormattedError, serviceName: string, path: GraphQLErrorOptions['path']): GraphQLError {
  const message = original.message || `Error while fetching subquery from service "${serviceName}"`;
  const { extensions } = original;
  const options: GraphQLErrorOptions = {
    originalError: original as Error,
    path,
    extensions: { ...extensions, serviceName },
  };
  const codeDef = errorCodeDef(original);
  if (!codeDef && extensions?.code) return new GraphQLError(message, options);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}
