import {
  Kind, parse, valueFromASTUntyped,
  type ConstDirectiveNode, type DocumentNode, type FieldDefinitionNode, type TypeNode, type ValueNode,
} from 'graphql';

/** `@listSize` as the cost specification defines it (https://ibm.github.io/graphql-specs/cost-spec.html). */
export interface ListSize {
  assumedSize?: number;
  slicingArguments: string[];
  sizedFields: string[];
  requireOneSlicingArgument: boolean;
}

export interface FieldCost {
  /** The named type the field returns, lists and non-null stripped. */
  type: string;
  isList: boolean;
  /** `@cost(weight:)` on the field: replaces the returned type's own weight. */
  weight?: number;
  listSize?: ListSize;
  /** Weights of arguments that carry `@cost`, added once per field. */
  argumentWeights: number;
  /** Schema defaults of the Int arguments, for a slicing argument the operation leaves out. */
  argumentDefaults: Map<string, number>;
}

export interface TypeCost {
  /** Object, interface or union: costs 1 per instance unless `@cost` says otherwise. */
  composite: boolean;
  weight?: number;
  fields: Map<string, FieldCost>;
}

/**
 * Per type and field, what the supergraph's `@cost` and `@listSize` directives say. Read from
 * the supergraph SDL rather than from Apollo Server's schema, because the API schema clients see
 * has the federation directives stripped.
 */
export interface CostModel {
  types: Map<string, TypeCost>;
  rootTypes: { query: string; mutation: string; subscription: string };
}

export function costModelFromSupergraph(supergraphSdl: string): CostModel {
  return costModelFromDocument(parse(supergraphSdl));
}

export function costModelFromDocument(document: DocumentNode): CostModel {
  const types = new Map<string, TypeCost>();
  const rootTypes = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' };
  const typeOf = (name: string, composite: boolean) => {
    let t = types.get(name);
    if (!t) types.set(name, (t = { composite, fields: new Map() }));
    return t;
  };
  for (const def of document.definitions) {
    switch (def.kind) {
      case Kind.SCHEMA_DEFINITION:
      case Kind.SCHEMA_EXTENSION:
        for (const op of def.operationTypes ?? []) rootTypes[op.operation] = op.type.name.value;
        break;
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION: {
        const t = typeOf(def.name.value, true);
        t.weight = weightOf(def.directives) ?? t.weight;
        for (const field of def.fields ?? []) t.fields.set(field.name.value, fieldCost(field));
        break;
      }
      case Kind.UNION_TYPE_DEFINITION:
      case Kind.UNION_TYPE_EXTENSION:
        typeOf(def.name.value, true).weight ??= weightOf(def.directives);
        break;
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.SCALAR_TYPE_DEFINITION:
        typeOf(def.name.value, false).weight ??= weightOf(def.directives);
        break;
      default:
        break;
    }
  }
  return { types, rootTypes };
}

function fieldCost(field: FieldDefinitionNode): FieldCost {
  const { name, isList } = unwrap(field.type);
  const argumentDefaults = new Map<string, number>();
  let argumentWeights = 0;
  for (const arg of field.arguments ?? []) {
    argumentWeights += weightOf(arg.directives) ?? 0;
    if (arg.defaultValue?.kind === Kind.INT) argumentDefaults.set(arg.name.value, Number(arg.defaultValue.value));
  }
  return { type: name, isList, weight: weightOf(field.directives), listSize: listSizeOf(field.directives), argumentWeights, argumentDefaults };
}

function unwrap(type: TypeNode): { name: string; isList: boolean } {
  let isList = false;
  let t = type;
  while (t.kind !== Kind.NAMED_TYPE) {
    if (t.kind === Kind.LIST_TYPE) isList = true;
    t = t.type;
  }
  return { name: t.name.value, isList };
}

function directiveArgs(directives: readonly ConstDirectiveNode[] | undefined, name: string): Record<string, unknown> | undefined {
  const directive = directives?.find((d) => d.name.value === name);
  if (!directive) return undefined;
  return Object.fromEntries((directive.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value as ValueNode)]));
}

function weightOf(directives: readonly ConstDirectiveNode[] | undefined): number | undefined {
  const args = directiveArgs(directives, 'cost');
  return args && typeof args.weight === 'number' ? args.weight : undefined;
}

function listSizeOf(directives: readonly ConstDirectiveNode[] | undefined): ListSize | undefined {
  const args = directiveArgs(directives, 'listSize');
  if (!args) return undefined;
  return {
    assumedSize: typeof args.assumedSize === 'number' ? args.assumedSize : undefined,
    slicingArguments: Array.isArray(args.slicingArguments) ? (args.slicingArguments as string[]) : [],
    sizedFields: Array.isArray(args.sizedFields) ? (args.sizedFields as string[]) : [],
    requireOneSlicingArgument: args.requireOneSlicingArgument !== false,
  };
}
