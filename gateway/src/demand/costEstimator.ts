import {
  Kind,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode,
} from 'graphql';
import type { CostModel, FieldCost } from './costModel';

/**
 * Children whose size the cost specification can't express: `@listSize(sizedFields:)` sizes a
 * child by the same argument as its parent, but a home row's `items` are sized by the parent's
 * *other* argument, `itemsPerRow`. Here, for `Profile.homeRows`, the child `items` counts as many
 * titles as `itemsPerRow` asks for, unless `items` is given its own slicing argument (`first`,
 * when paging a row), which wins, as it does in the resolver; readers that know nothing of this
 * rule (other tools) fall back to the child's own `@listSize(assumedSize: 100)`, the most a row
 * holds.
 */
export const ARGUMENT_SIZED_CHILDREN: Record<string, Record<string, string>> = {
  'Profile.homeRows': { items: 'itemsPerRow' },
};

export interface EstimatorOptions {
  /** Size of a list field with no `@listSize` (Apollo Router's `list_size`). */
  defaultListSize: number;
  argumentSizedChildren?: Record<string, Record<string, string>>;
}

/** Apollo Router's and the IBM specification's base cost of running a mutation. */
const MUTATION_BASE_COST = 10;

type SizeSource = { literal: number } | { variable: string; fallback?: number };
/** Sized by arguments (the largest given wins); when none is given, by `otherwise`, else `fallback`. */
type Size = { constant: number } | { sources: SizeSource[]; fallback: number; otherwise?: Size };

interface CompiledField {
  size: Size;
  /** Cost of one instance of the returned type, before its selections. */
  weight: number;
  argumentWeights: number;
  children?: CompiledSelection;
}

interface CompiledSelection {
  fields: CompiledField[];
  /** Fragments (named or inline): shared between the places that spread them. */
  nested: CompiledSelection[];
}

/**
 * An operation's worst-case cost as a function of its variables. Compiling walks the document
 * once (fragments compiled once each, however often they are spread, so a fragment explosion
 * costs the estimator nothing); `evaluate` then only multiplies sizes, cheap enough per request.
 */
export class CompiledCost {
  constructor(private readonly root: CompiledSelection, private readonly base: number) {}

  evaluate(variables: Record<string, unknown> = {}): number {
    const memo = new Map<CompiledSelection, number>();
    const selection = (s: CompiledSelection): number => {
      const known = memo.get(s);
      if (known !== undefined) return known;
      let cost = 0;
      for (const f of s.fields) cost += sizeOf(f.size, variables) * (f.weight + (f.children ? selection(f.children) : 0)) + f.argumentWeights;
      for (const n of s.nested) cost += selection(n);
      memo.set(s, cost);
      return cost;
    };
    return this.base + selection(this.root);
  }
}

function sizeOf(size: Size, variables: Record<string, unknown>): number {
  if ('constant' in size) return size.constant;
  let best: number | undefined;
  for (const source of size.sources) {
    let value: number | undefined;
    if ('literal' in source) value = source.literal;
    else {
      const v = variables[source.variable];
      value = typeof v === 'number' && Number.isFinite(v) ? v : v === undefined || v === null ? source.fallback : undefined;
    }
    if (value !== undefined) best = Math.max(best ?? 0, Math.max(0, value));
  }
  if (best !== undefined) return best;
  return size.otherwise ? sizeOf(size.otherwise, variables) : size.fallback;
}

export function compileCost(
  model: CostModel, document: DocumentNode, operation: OperationDefinitionNode, options: EstimatorOptions,
): CompiledCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const variableDefaults = new Map<string, number>();
  for (const v of operation.variableDefinitions ?? []) {
    if (v.defaultValue?.kind === Kind.INT) variableDefaults.set(v.variable.name.value, Number(v.defaultValue.value));
  }
  const sizedChildren = options.argumentSizedChildren ?? ARGUMENT_SIZED_CHILDREN;
  // Per parent sizing context, each fragment compiled once (contexts are shared when empty).
  const fragmentMemo = new WeakMap<Map<string, Size>, Map<string, CompiledSelection>>();
  const NO_SIZES = new Map<string, Size>();

  const argumentSize = (value: ValueNode | undefined, schemaDefault: number | undefined): SizeSource | undefined => {
    if (!value) return schemaDefault === undefined ? undefined : { literal: schemaDefault };
    if (value.kind === Kind.INT) return { literal: Number(value.value) };
    if (value.kind === Kind.LIST) return { literal: value.values.length };
    if (value.kind === Kind.VARIABLE) {
      const name = value.name.value;
      return { variable: name, fallback: variableDefaults.get(name) ?? schemaDefault };
    }
    return undefined;
  };

  const fieldSize = (node: FieldNode, field: FieldCost, upstream: Size | undefined): Size => {
    if (!field.isList) return { constant: 1 };
    const fallback = field.listSize?.assumedSize ?? options.defaultListSize;
    const slicing = field.listSize?.slicingArguments ?? [];
    const sources = slicing
      .map((name) => argumentSize(node.arguments?.find((a) => a.name.value === name)?.value, field.argumentDefaults.get(name)))
      .filter((s): s is SizeSource => s !== undefined);
    // The field's own slicing argument, where the operation gives one, beats its parent's sizing.
    if (upstream) return sources.length ? { sources, fallback, otherwise: upstream } : upstream;
    if (slicing.length === 0) return { constant: fallback };
    return { sources, fallback };
  };

  const compileSelection = (set: SelectionSetNode, typeName: string, upstream: Map<string, Size>): CompiledSelection => {
    const compiled: CompiledSelection = { fields: [], nested: [] };
    const type = model.types.get(typeName);
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = type?.fields.get(selection.name.value);
        // __typename and introspection are answered by the gateway itself; unknown fields never
        // get here (validation runs first).
        if (!field) continue;
        const returned = model.types.get(field.type);
        const weight = field.weight ?? returned?.weight ?? (returned?.composite ? 1 : 0);
        const childSizes = new Map<string, Size>();
        for (const child of field.listSize?.sizedFields ?? []) {
          childSizes.set(child, fieldSize(selection, { ...field, isList: true }, undefined));
        }
        for (const [child, argument] of Object.entries(sizedChildren[`${typeName}.${selection.name.value}`] ?? {})) {
          const source = argumentSize(selection.arguments?.find((a) => a.name.value === argument)?.value, field.argumentDefaults.get(argument));
          if (source) childSizes.set(child, { sources: [source], fallback: options.defaultListSize });
        }
        compiled.fields.push({
          // With sizedFields the slicing argument sizes the children, not the field itself.
          size: field.listSize?.sizedFields.length ? { constant: 1 } : fieldSize(selection, field, upstream.get(selection.name.value)),
          weight,
          argumentWeights: field.argumentWeights,
          children: selection.selectionSet ? compileSelection(selection.selectionSet, field.type, childSizes.size ? childSizes : NO_SIZES) : undefined,
        });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        compiled.nested.push(compileSelection(selection.selectionSet, selection.typeCondition?.name.value ?? typeName, upstream));
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment) continue;
        let memo = fragmentMemo.get(upstream);
        if (!memo) fragmentMemo.set(upstream, (memo = new Map()));
        let nested = memo.get(fragment.name.value);
        if (!nested) {
          // Reserve the slot first: a (validated-away) cycle would otherwise recurse forever.
          nested = { fields: [], nested: [] };
          memo.set(fragment.name.value, nested);
          Object.assign(nested, compileSelection(fragment.selectionSet, fragment.typeCondition.name.value, upstream));
        }
        compiled.nested.push(nested);
      }
    }
    return compiled;
  };

  const root = compileSelection(operation.selectionSet, model.rootTypes[operation.operation], NO_SIZES);
  return new CompiledCost(root, operation.operation === 'mutation' ? MUTATION_BASE_COST : 0);
}
