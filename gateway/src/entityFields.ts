import { Kind, print, valueFromASTUntyped, type ArgumentNode, type DocumentNode, type FieldNode, type InlineFragmentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { responseObject } from './responseObject';

/**
 * The entity cache's view of an `_entities` fetch: which fields it asks of an entity, where each
 * goes in the answer (its response key) and where it is kept in the cache (its name and
 * arguments, the same whatever alias or operation asked). With it, an entity is cached once per
 * (type, key) with every field any fetch brought, and a fetch is served from the cache whenever
 * what it asks is covered: the home screen's tiles, `HomeScreenMoreRows`, `RowMoreItems` and the
 * deferred home screen (its fields in another order) all share one entry per title.
 *
 * Only what can be answered exactly from stored fields is compiled: fields (with arguments),
 * inline fragments on the entity's type at the top, inline fragments without a type condition
 * below. A fetch with anything else (a named fragment, `@skip`/`@include`, a type condition on a
 * nested object, whose type the cache can't see without its `__typename`) is not cached at all.
 */
export interface EntitySelection {
  readonly document: DocumentNode;
  /** The fields asked of an entity of this type, in the order the subgraph answers them; null when the fetch asks nothing of it. */
  fieldsOf(typename: string, variables: Record<string, unknown> | undefined): Fields | null;
  /** What this fetch asks of the type as a shape another fetch can add to its own; null when it names a variable or asks nothing. */
  shapeOf(typename: string): EntityShape | null;
}

/**
 * The fields a fetch asks of one entity type, as written (to be asked again by another fetch) and
 * as compiled; `key` is the same for every fetch asking the same fields, whatever its aliases,
 * order or operation name (the home screen's tiles, the next rows, a row's next titles).
 */
export interface EntityShape {
  readonly key: string;
  readonly fields: Fields;
  readonly nodes: readonly FieldNode[];
}

/** One field: its place in the answer, its place in the cache, and what is asked below it. */
export interface Field {
  readonly responseKey: string;
  readonly storeKey: string;
  readonly sub: Fields | null;
}
export type Fields = readonly Field[];

/** A field as compiled: its store key is known now, or once the request's variables are. */
interface CompiledField {
  responseKey: string;
  name: string;
  args: readonly ArgumentNode[];
  /** Set when the arguments name no variable: the same for every request. */
  storeKey: string | null;
  sub: CompiledField[] | null;
  /** Whether some argument below names a variable. */
  variable: boolean;
}

class Unsupported extends Error {}

/** The entity selection of an `_entities` fetch, or null when the cache can't answer it exactly. */
export function compileEntitySelection(document: DocumentNode): EntitySelection | null {
  const [operation, ...others] = document.definitions;
  if (others.length > 0 || operation?.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query') return null;
  const [field, ...siblings] = operation.selectionSet.selections;
  if (siblings.length > 0 || field?.kind !== Kind.FIELD || field.name.value !== '_entities' || !field.selectionSet) return null;
  const selections = field.selectionSet.selections;
  try {
    const byType = new Map<string, CompiledField[]>();
    const typesNamed = new Set<string>();
    for (const s of selections) if (s.kind === Kind.INLINE_FRAGMENT && s.typeCondition) typesNamed.add(s.typeCondition.name.value);
    for (const typename of typesNamed) byType.set(typename, collect(field.selectionSet, typename));
    const anyType = collect(field.selectionSet, null);
    const fixed = new Map<string, Fields>();
    const shapes = new Map<string, EntityShape | null>();
    return {
      document,
      shapeOf(typename) {
        let shape = shapes.get(typename);
        if (shape === undefined) {
          const compiled = (byType.get(typename) ?? anyType).filter((f) => f.name !== '__typename');
          const fields = compiled.some((f) => f.variable) ? [] : resolve(compiled, {});
          shape = fields.length === 0 ? null : { key: shapeKey(fields), fields, nodes: fieldNodes(field.selectionSet!, typename) };
          shapes.set(typename, shape);
        }
        return shape;
      },
      fieldsOf(typename, variables) {
        const compiled = byType.get(typename) ?? anyType;
        if (compiled.length === 0) return null;
        const known = fixed.get(typename);
        if (known) return known;
        const fields = resolve(compiled, variables ?? {});
        if (!compiled.some((f) => f.variable)) fixed.set(typename, fields);
        return fields;
      },
    };
  } catch (err) {
    if (err instanceof Unsupported) return null;
    throw err;
  }
}

/**
 * GraphQL's CollectFields for one entity type: fields in first-seen order, a response key asked
 * twice merged into one with both sub-selections (as the subgraph answers it).
 */
function collect(set: SelectionSetNode, typename: string | null, into: CompiledField[] = [], top = true): CompiledField[] {
  for (const s of set.selections) {
    if (s.directives?.length) throw new Unsupported();
    if (s.kind === Kind.FRAGMENT_SPREAD) throw new Unsupported();
    if (s.kind === Kind.INLINE_FRAGMENT) {
      const condition = s.typeCondition?.name.value;
      if (condition !== undefined && !top) throw new Unsupported();
      if (condition === undefined || condition === typename) collect(s.selectionSet, typename, into, top);
      continue;
    }
    const responseKey = s.alias?.value ?? s.name.value;
    const args = s.arguments ?? [];
    const existing = into.find((f) => f.responseKey === responseKey);
    let sub: CompiledField[] | null = existing?.sub ?? null;
    if (s.selectionSet) sub = collect(s.selectionSet, null, sub ?? [], false);
    const argsNameVariable = args.some((a) => namesVariable(a.value));
    const variable = argsNameVariable || Boolean(sub?.some((f) => f.variable));
    if (existing) {
      existing.sub = sub;
      existing.variable ||= variable;
      continue;
    }
    into.push({ responseKey, name: s.name.value, args, storeKey: argsNameVariable ? null : storeKeyOf(s.name.value, args, {}), sub, variable });
  }
  return into;
}

/** The top-level field nodes of the type's selection, `__typename` aside, as written. */
function fieldNodes(set: SelectionSetNode, typename: string, into: FieldNode[] = []): FieldNode[] {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD && s.name.value !== '__typename') into.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT && (!s.typeCondition || s.typeCondition.name.value === typename)) fieldNodes(s.selectionSet, typename, into);
  }
  return into;
}

/** The same for the same fields asked, whatever their aliases or order. */
function shapeKey(fields: Fields): string {
  return fields.map((f) => (f.sub ? `${f.storeKey}{${shapeKey(f.sub)}}` : f.storeKey)).sort().join(' ');
}

/** Whether everything `want` asks (below too) is among what `have` asks. */
export function covers(have: Fields, want: Fields): boolean {
  return want.every((w) => {
    if (w.storeKey === '__typename') return true;
    const h = have.find((f) => f.storeKey === w.storeKey);
    return h !== undefined && (!w.sub || (h.sub !== null && covers(h.sub, w.sub)));
  });
}

/**
 * The fetch's document with other shapes' fields added, each type's in an inline fragment of its
 * own under aliases no field of the fetch uses (so no field of the fetch can conflict with them),
 * and, per type, the fields under those aliases, to keep what they bring.
 */
export function widen(selection: EntitySelection, shapes: ReadonlyMap<string, EntityShape>): { query: string; document: DocumentNode; extra: Map<string, Fields> } {
  const operation = selection.document.definitions[0] as OperationDefinitionNode;
  const entities = operation.selectionSet.selections[0] as FieldNode;
  const taken = new Set<string>();
  const note = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) taken.add(s.alias?.value ?? s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) note(s.selectionSet);
    }
  };
  note(entities.selectionSet!);
  let n = 0;
  const aliasFor = () => {
    while (taken.has(`_cached${n}`)) n += 1;
    taken.add(`_cached${n}`);
    return `_cached${n}`;
  };
  const extra = new Map<string, Fields>();
  const fragments: InlineFragmentNode[] = [];
  for (const [typename, shape] of shapes) {
    const aliases = new Map<string, string>();
    const nodes = shape.nodes.map((node) => {
      const key = node.alias?.value ?? node.name.value;
      const alias = aliases.get(key) ?? aliases.set(key, aliasFor()).get(key)!;
      return { ...node, alias: { kind: Kind.NAME, value: alias } } as FieldNode;
    });
    extra.set(typename, shape.fields.map((f) => ({ ...f, responseKey: aliases.get(f.responseKey)! })));
    fragments.push({
      kind: Kind.INLINE_FRAGMENT,
      typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: typename } },
      selectionSet: { kind: Kind.SELECTION_SET, selections: nodes },
    });
  }
  const document: DocumentNode = {
    ...selection.document,
    definitions: [{
      ...operation,
      selectionSet: { ...operation.selectionSet, selections: [{ ...entities, selectionSet: { ...entities.selectionSet!, selections: [...entities.selectionSet!.selections, ...fragments] } }] },
    }],
  };
  return { query: print(document), document, extra };
}

function namesVariable(value: ArgumentNode['value']): boolean {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(namesVariable);
  if (value.kind === Kind.OBJECT) return value.fields.some((f) => namesVariable(f.value));
  return false;
}

/** `name` without arguments, `name({"a":1,"b":"X"})` with them, sorted by name: an alias or argument order never splits an entry. */
function storeKeyOf(name: string, args: readonly ArgumentNode[], variables: Record<string, unknown>): string {
  if (args.length === 0) return name;
  const values = [...args].sort((a, b) => a.name.value.localeCompare(b.name.value))
    .map((a) => `${JSON.stringify(a.name.value)}:${JSON.stringify(valueFromASTUntyped(a.value, variables))}`);
  return `${name}({${values.join(',')}})`;
}

function resolve(compiled: readonly CompiledField[], variables: Record<string, unknown>): Fields {
  return compiled.map((f) => ({
    responseKey: f.responseKey,
    storeKey: f.storeKey ?? storeKeyOf(f.name, f.args, variables),
    sub: f.sub ? resolve(f.sub, variables) : null,
  }));
}

type Stored = Record<string, unknown>;

/**
 * The answer an entity's stored fields give for `fields`, built afresh (nothing stored is handed
 * out: executors merge later fetches into the objects an answer holds); undefined when a field
 * asked was never stored. The top level's `__typename` is the representation's.
 */
export function project(stored: Stored, fields: Fields, typename?: string): Stored | undefined {
  const out: Stored = responseObject();
  for (const f of fields) {
    if (typename !== undefined && f.storeKey === '__typename') {
      out[f.responseKey] = typename;
      continue;
    }
    const value = stored[f.storeKey];
    if (value === undefined) return undefined;
    const answer = f.sub ? projectValue(value, f.sub) : copyLeaf(value);
    if (answer === undefined) return undefined;
    out[f.responseKey] = answer;
  }
  return out;
}

function projectValue(value: unknown, sub: Fields): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) {
    const items = new Array(value.length);
    for (let i = 0; i < value.length; i += 1) {
      const item = projectValue(value[i], sub);
      if (item === undefined) return undefined;
      items[i] = item;
    }
    return items;
  }
  return project(value as Stored, sub);
}

/** A scalar's value; lists and JSON-like custom scalars copied, so no answer shares them. */
function copyLeaf(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return JSON.parse(JSON.stringify(value));
}

/**
 * Writes an entity's answer for `fields` into its stored fields, keeping what other fetches
 * stored and this one didn't ask. Objects merge field by field; a list of objects merges item by
 * item when it has kept its length, else it is replaced whole.
 */
export function store(target: Stored, answer: Stored, fields: Fields): void {
  for (const f of fields) {
    const value = answer[f.responseKey];
    if (value === undefined) continue;
    target[f.storeKey] = f.sub ? storeValue(value, f.sub, target[f.storeKey]) : copyLeaf(value);
  }
}

function storeValue(value: unknown, sub: Fields, existing: unknown): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) {
    const same = Array.isArray(existing) && existing.length === value.length ? existing : undefined;
    return value.map((item, i) => storeValue(item, sub, same?.[i]));
  }
  const target = existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? (existing as Stored) : {};
  store(target, value as Stored, sub);
  return target;
}
