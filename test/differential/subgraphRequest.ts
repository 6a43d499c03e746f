import {
  Kind, parse, print, valueFromASTUntyped,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionNode, type ValueNode,
} from 'graphql';
import { canonicalJson } from './hash';

/**
 * One answerable piece of a subgraph request: a root field, or one representation of an
 * `_entities` field. Answers are recorded and faults decided per item, not per request, so
 * an executor that deduplicates representations or sends sibling fetches as one aliased
 * operation gets, item for item, the same answer as one that doesn't.
 */
export interface RequestItem {
  /** Where the item's answer is recorded: the field with variables and fragments inlined and its root alias dropped, plus the representation. */
  storeKey: string;
  /** What a fault decision is about: robust to how the selection is written (only the field's name, arguments and representation). */
  faultKey: string;
  /** The root field's response key in this request. */
  responseKey: string;
  /** Index of the representation, for `_entities`. */
  index?: number;
  fieldName: string;
}

export interface ParsedSubgraphRequest {
  operation: 'query' | 'mutation' | 'subscription';
  /** In response order: root fields, and for an `_entities` field one item per representation. */
  items: RequestItem[];
  /** Response keys in order, with how many representations each `_entities` field had (undefined otherwise). */
  fields: Array<{ responseKey: string; representations?: number }>;
}

/**
 * Parsed subgraph documents: a request's text comes once from each gateway (and again on a
 * rerun), then rarely ever (the document's operation name is in it), so a few hundred suffice.
 */
const documents = new Map<string, DocumentNode>();

function parsed(query: string): DocumentNode {
  let document = documents.get(query);
  if (!document) {
    document = parse(query, { noLocation: true });
    if (documents.size >= 500) documents.delete(documents.keys().next().value!);
    documents.set(query, document);
  }
  return document;
}

function literal(value: unknown): ValueNode {
  if (value === null || value === undefined) return { kind: Kind.NULL };
  if (typeof value === 'boolean') return { kind: Kind.BOOLEAN, value };
  if (typeof value === 'number') return Number.isInteger(value) ? { kind: Kind.INT, value: String(value) } : { kind: Kind.FLOAT, value: String(value) };
  if (typeof value === 'string') return { kind: Kind.STRING, value };
  if (Array.isArray(value)) return { kind: Kind.LIST, values: value.map(literal) };
  const fields = Object.keys(value as object).sort().map((name) => ({
    kind: Kind.OBJECT_FIELD as const, name: { kind: Kind.NAME as const, value: name }, value: literal((value as Record<string, unknown>)[name]),
  }));
  return { kind: Kind.OBJECT, fields };
}

/** The value written in the request, with variables substituted; enums and strings print alike. */
function inlineValue(node: ValueNode, variables: Record<string, unknown>): ValueNode {
  return literal(valueFromASTUntyped(node, variables));
}

/** Variables, fragment spreads and (at the root) aliases replaced by what they stand for. */
function normalizeSelections(
  selections: readonly SelectionNode[], fragments: Map<string, FragmentDefinitionNode>, variables: Record<string, unknown>,
): SelectionNode[] {
  return selections.map((selection): SelectionNode => {
    const directives = selection.directives?.map((d) => ({ ...d, arguments: d.arguments?.map((a) => ({ ...a, value: inlineValue(a.value, variables) })) }));
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments.get(selection.name.value);
      if (!fragment) throw new Error(`unknown fragment ${selection.name.value} in a subgraph request`);
      return {
        kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, directives,
        selectionSet: { kind: Kind.SELECTION_SET, selections: normalizeSelections(fragment.selectionSet.selections, fragments, variables) },
      };
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      return { ...selection, directives, selectionSet: { ...selection.selectionSet, selections: normalizeSelections(selection.selectionSet.selections, fragments, variables) } };
    }
    return {
      ...selection,
      directives,
      arguments: selection.arguments?.map((a) => ({ ...a, value: inlineValue(a.value, variables) })),
      selectionSet: selection.selectionSet && { ...selection.selectionSet, selections: normalizeSelections(selection.selectionSet.selections, fragments, variables) },
    };
  });
}

/** Root fields, looking through inline fragments and spreads at the root (a planner doesn't write them, another executor might). */
function rootFields(selections: readonly SelectionNode[], fragments: Map<string, FragmentDefinitionNode>): FieldNode[] {
  return selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s];
    if (s.kind === Kind.INLINE_FRAGMENT) return rootFields(s.selectionSet.selections, fragments);
    const fragment = fragments.get(s.name.value);
    return fragment ? rootFields(fragment.selectionSet.selections, fragments) : [];
  });
}

/**
 * Splits a subgraph request into items. `scope` separates answers that may differ for reasons
 * outside the request's text (the subgraph, the credential).
 */
export function parseSubgraphRequest(
  body: { query?: string; variables?: Record<string, unknown> | null; operationName?: string | null },
  scope: string,
): ParsedSubgraphRequest {
  const document = parsed(body.query ?? '');
  const variables = body.variables ?? {};
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.find((o) => !body.operationName || o.name?.value === body.operationName) ?? operations[0];
  if (!operation) throw new Error('a subgraph request without an operation');
  const fragments = new Map(document.definitions
    .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
    .map((f) => [f.name.value, f]));
  const items: RequestItem[] = [];
  const fields: ParsedSubgraphRequest['fields'] = [];
  for (const field of rootFields(operation.selectionSet.selections, fragments)) {
    const responseKey = field.alias?.value ?? field.name.value;
    const fieldName = field.name.value;
    const [normalized] = normalizeSelections([{ ...field, alias: undefined }], fragments, variables) as FieldNode[];
    if (fieldName === '_entities') {
      const representationsArg = field.arguments?.find((a) => a.name.value === 'representations');
      const representations = (representationsArg ? valueFromASTUntyped(representationsArg.value, variables) : []) as unknown[];
      const shape = print({ ...normalized, arguments: normalized.arguments?.filter((a) => a.name.value !== 'representations') });
      representations.forEach((representation, index) => {
        const rep = canonicalJson(representation);
        items.push({ storeKey: `${scope}|${operation.operation}|${shape}|${rep}`, faultKey: `_entities|${rep}`, responseKey, index, fieldName });
      });
      fields.push({ responseKey, representations: representations.length });
    } else {
      const args = canonicalJson(Object.fromEntries((normalized.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)])));
      items.push({ storeKey: `${scope}|${operation.operation}|${print(normalized)}`, faultKey: `${operation.operation}.${fieldName}|${args}`, responseKey, fieldName });
      fields.push({ responseKey });
    }
  }
  return { operation: operation.operation, items, fields };
}
