import type { FetchNode, ParallelNode, PlanNode, ResponsePath } from '@apollo/query-planner';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  Kind, parse, print, stripIgnoredCharacters, visit,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLFormattedError, type OperationDefinitionNode, type VariableDefinitionNode,
} from 'graphql';

/*
 * Sibling fetches: the entity fetches of one Parallel node that go to the same subgraph are sent
 * as one request, each its own aliased `_entities` field (`_0: _entities(representations:
 * $representations_0) {...}`), as Netflix's gateway and Hive's BatchFetch do. A title's details
 * page asks playback-session for the title's progress and for its episodes' side by side: one
 * round trip instead of two, and the subgraph's DataLoaders see both lists in one request.
 *
 * What is compiled here (once per Parallel node, and once per set of members a request has
 * representations for): which siblings go together, the combined operation, and how its answer
 * splits back into the answers each fetch would have had alone. Running it is executePlan's.
 */

export interface SiblingFetch {
  fetch: FetchNode;
  /** The Flatten's path from the Parallel node's cursor; empty for a bare Fetch. */
  path: ResponsePath;
  /** The fetch's own operation, read once: one `_entities` field. */
  operation: OperationDefinitionNode;
  fragments: FragmentDefinitionNode[];
}

export interface SiblingBatch {
  serviceName: string;
  /** The children of the Parallel node that are in this batch, in plan order. */
  members: SiblingFetch[];
  /** Per set of present members (their indexes joined), the combined operation; null: send them apart. */
  combined: Map<string, CombinedFetch | null>;
}

/** Named as a FetchNode's fields are, so that it is sent the way a fetch is (executePlan's `process`). */
export interface CombinedFetch {
  serviceName: string;
  operation: string;
  operationDocumentNode: DocumentNode;
  operationName: string | undefined;
  /** Per present member, in order: the variable its representations go in, and its field's alias. */
  representationVariables: string[];
  aliases: string[];
}

const batchesOf = new WeakMap<ParallelNode, SiblingBatch[]>();

/** The batches of a Parallel node (none when no two of its entity fetches go to one subgraph), compiled once. */
export function siblingBatches(parallel: ParallelNode): SiblingBatch[] {
  let batches = batchesOf.get(parallel);
  if (!batches) {
    batches = groupSiblings(parallel.nodes);
    batchesOf.set(parallel, batches);
  }
  return batches;
}

function groupSiblings(nodes: PlanNode[]): SiblingBatch[] {
  const byService = new Map<string, SiblingFetch[]>();
  for (const node of nodes) {
    const fetch = node.kind === 'Fetch' ? node : node.kind === 'Flatten' && node.node.kind === 'Fetch' ? node.node : undefined;
    const sibling = fetch && entityFetch(fetch, node.kind === 'Flatten' ? node.path : []);
    if (!sibling) continue;
    const members = byService.get(fetch.serviceName) ?? [];
    members.push(sibling);
    byService.set(fetch.serviceName, members);
  }
  return [...byService].filter(([, members]) => members.length > 1).map(([serviceName, members]) => ({ serviceName, members, combined: new Map() }));
}

/**
 * A fetch that can go with its siblings: an entity fetch (`requires`) whose operation is a query
 * of one unaliased `_entities(representations: $representations)` field, as the planner writes
 * them. Anything else (root fetches, whose fields could clash) goes alone, as stock sends it.
 */
function entityFetch(fetch: FetchNode, path: ResponsePath): SiblingFetch | undefined {
  if (!fetch.requires) return undefined;
  let document: DocumentNode;
  try {
    document = fetch.operationDocumentNode ?? parse(fetch.operation);
  } catch {
    return undefined;
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const [operation] = operations;
  if (operations.length !== 1 || operation.operation !== 'query' || fragments.length + 1 !== document.definitions.length) return undefined;
  const [field, ...others] = operation.selectionSet.selections;
  if (others.length > 0 || field?.kind !== Kind.FIELD || field.alias || field.name.value !== '_entities' || field.directives?.length) return undefined;
  const [argument, ...moreArguments] = field.arguments ?? [];
  if (moreArguments.length > 0 || argument?.name.value !== 'representations' || argument.value.kind !== Kind.VARIABLE || argument.value.name.value !== 'representations') return undefined;
  return { fetch, path, operation, fragments };
}

/** The one operation for these members (some of a batch's, in its order), compiled once per set. */
export function combinedFetch(batch: SiblingBatch, present: readonly number[]): CombinedFetch | null {
  const key = present.join(',');
  let combined = batch.combined.get(key);
  if (combined === undefined) {
    combined = combine(present.map((i) => batch.members[i]));
    batch.combined.set(key, combined);
  }
  return combined;
}

function combine(members: SiblingFetch[]): CombinedFetch | null {
  const representationVariables = members.map((_, k) => `representations_${k}`);
  const aliases = members.map((_, k) => `_${k}`);
  // A client's variable of one of our names: those siblings go apart rather than clash.
  const clientVariables = new Set(members.flatMap((m) => m.fetch.variableUsages ?? []));
  if (representationVariables.some((name) => clientVariables.has(name))) return null;

  const variableDefinitions = new Map<string, VariableDefinitionNode>();
  const fragments: FragmentDefinitionNode[] = [];
  const fragmentNames = new Set<string>();
  const fields: FieldNode[] = [];
  for (let k = 0; k < members.length; k++) {
    // Each member's fragments get a suffix of its own: two fetches may name different fragments alike.
    const renamed = visit({ kind: Kind.DOCUMENT, definitions: [members[k].operation, ...members[k].fragments] } as DocumentNode, {
      Variable: (node) => (node.name.value === 'representations' ? { ...node, name: { ...node.name, value: representationVariables[k] } } : undefined),
      FragmentSpread: (node) => ({ ...node, name: { ...node.name, value: `${node.name.value}_${k}` } }),
      FragmentDefinition: (node) => ({ ...node, name: { ...node.name, value: `${node.name.value}_${k}` } }),
    });
    const [operation, ...ownFragments] = renamed.definitions as [OperationDefinitionNode, ...FragmentDefinitionNode[]];
    for (const definition of operation.variableDefinitions ?? []) {
      const name = definition.variable.name.value;
      const known = variableDefinitions.get(name);
      // The client's variables mean the same in every fetch of one request; a definition that
      // differs in type (never seen from the planner) is not ours to reconcile.
      if (known && print(known) !== print(definition)) return null;
      variableDefinitions.set(name, definition);
    }
    for (const fragment of ownFragments) {
      if (fragmentNames.has(fragment.name.value)) return null;
      fragmentNames.add(fragment.name.value);
      fragments.push(fragment);
    }
    const field = operation.selectionSet.selections[0] as FieldNode;
    fields.push({ ...field, alias: { kind: Kind.NAME, value: aliases[k] } });
  }
  const first = members[0];
  const operation: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: first.operation.operation,
    name: first.operation.name,
    variableDefinitions: [...variableDefinitions.values()],
    directives: [],
    selectionSet: { kind: Kind.SELECTION_SET, selections: fields },
  };
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] };
  return { serviceName: first.fetch.serviceName, operation: stripIgnoredCharacters(print(document)), operationDocumentNode: document, operationName: first.fetch.operationName, representationVariables, aliases };
}

/**
 * The combined answer as each member would have had it alone (its field as `_entities`, the
 * errors about it with their paths back on `_entities`), or undefined where that can't be told
 * for certain: then each member is asked apart, as stock asks, and gets exactly stock's answer.
 *
 * - No data and no error with a path: the request failed as a whole (the subgraph down, an HTTP
 *   error); each of stock's requests would have failed the same way, so each member gets it.
 * - Data with every member's field, and every error under one of them: split.
 * - Anything else (an error naming no field, data nulled by a non-null field): apart.
 */
export function splitResponse(response: GatewayGraphQLResponse, combined: CombinedFetch): GatewayGraphQLResponse[] | undefined {
  const { data, errors, extensions } = response;
  if (data === null || data === undefined) {
    if (!errors?.length || errors.some((error) => error.path)) return undefined;
    return combined.aliases.map(() => ({ data, errors, extensions }));
  }
  if (!combined.aliases.every((alias) => Object.prototype.hasOwnProperty.call(data, alias))) return undefined;
  const partErrors: GraphQLFormattedError[][] = combined.aliases.map(() => []);
  for (const error of errors ?? []) {
    const k = typeof error.path?.[0] === 'string' ? combined.aliases.indexOf(error.path[0]) : -1;
    if (k < 0) return undefined;
    partErrors[k].push({ ...error, path: ['_entities', ...error.path!.slice(1)] });
  }
  return combined.aliases.map((alias, k) => ({ data: { _entities: data[alias] }, ...(partErrors[k].length > 0 ? { errors: partErrors[k] } : {}), extensions }));
}
