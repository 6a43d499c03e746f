import { addMocksToSchema, createMockStore, type IMockStore, type Ref } from '@graphql-tools/mock';
import { ARGUMENT_SIZED_CHILDREN } from '@streaming/gateway/dist/demand/costEstimator';
import { costModelFromSupergraph, type CostModel } from '@streaming/gateway/dist/demand/costModel';
import {
  getNamedType, getNullableType, isAbstractType, isCompositeType, isListType, isObjectType,
  type GraphQLField, type GraphQLNamedType, type GraphQLResolveInfo, type GraphQLSchema,
} from 'graphql';
import { MockValues, type Origin } from './mockValues';

export interface MockSchemaOptions {
  /** The API schema clients see. */
  apiSchema: GraphQLSchema;
  /** The composed supergraph: its `@listSize` says which argument sizes which list. */
  supergraphSdl: string;
  /** Same seed, same values. @default 1 */
  seed?: number;
  /** The mock server's own address, for the artwork URLs it serves. */
  publicUrl: string;
}

/** Largest list the mock returns, whatever is asked: a mock is for screens, not load tests. */
const MAX_LIST = 1_000;

/**
 * The API schema with every field answered by @graphql-tools/mock's store, filled with values
 * from MockValues. Objects are created here, under keys that depend only on where they were
 * reached from (or on the id asked for), so answers are deterministic; lists have the size the
 * operation asked for, read from the supergraph's `@listSize` (slicing arguments and sized
 * fields, as the gateway's cost estimator reads them, including a home row's `items` sized by
 * `itemsPerRow`), or one item per id for a list of ids.
 */
export function createMockSchema(options: MockSchemaOptions): GraphQLSchema {
  const schema = options.apiSchema;
  const values = new MockValues(options.seed ?? 1, options.publicUrl.replace(/\/$/, ''));
  const costs = costModelFromSupergraph(options.supergraphSdl);
  const store = createMockStore({ schema, mockGenerationBehavior: 'deterministic', mocks: { ID: () => 'mock-id', String: () => 'Mock text' } });
  /** Sizes a parent passes to its children's lists (`sizedFields`, `ARGUMENT_SIZED_CHILDREN`), by object. */
  const childSizes = new Map<string, Record<string, number>>();
  /** A mutation's arguments, flattened: its result echoes what was sent (a new name, a position). */
  const echoes = new Map<string, Record<string, unknown>>();
  const mutationType = schema.getMutationType()?.name;

  const objectFor = (type: GraphQLNamedType, origin: Origin, sizes: Record<string, number>, echo?: Record<string, unknown>): Ref => {
    const concrete = concreteType(schema, type, values, origin);
    const hasId = 'id' in concrete.getFields();
    const key = hasId ? idFrom(concrete.name, origin, echo) ?? values.idFor(concrete, origin) : `${origin.parentType}:${origin.parentKey}.${origin.field}${argKey(origin.args)}${origin.index !== undefined ? `[${origin.index}]` : ''}`;
    if (!store.has(concrete.name, key)) store.set(concrete.name, key, values.objectValues(schema, concrete.name, key, origin));
    if (origin.parentType === mutationType) store.set(concrete.name, key, values.mutationValues(schema, concrete.name, key, origin));
    if (echo) {
      const fields = concrete.getFields();
      const echoed = Object.fromEntries(Object.entries(echo).filter(([name]) => name !== 'id' && fields[name] && getNamedType(fields[name].type).name !== 'ID' && isLeafValue(echo[name])));
      if (Object.keys(echoed).length > 0) store.set(concrete.name, key, echoed);
      echoes.set(`${concrete.name}:${key}`, echo);
    }
    const refKey = `${concrete.name}:${key}`;
    if (Object.keys(sizes).length > 0) childSizes.set(refKey, sizes);
    return { $ref: { typeName: concrete.name, key } };
  };

  const resolveComposite = (parent: unknown, args: Record<string, unknown>, info: GraphQLResolveInfo) => {
    const parentRef = isRefValue(parent) ? parent.$ref : { typeName: info.parentType.name, key: 'ROOT' };
    const field = info.parentType.getFields()[info.fieldName];
    const named = getNamedType(field.type);
    const isMutation = parentRef.typeName === mutationType;
    const echo = isMutation ? flatten(args) : echoes.get(`${parentRef.typeName}:${parentRef.key}`);
    const sizes = sizesForChildren(costs, parentRef.typeName, info.fieldName, args);
    const origin: Origin = { parentType: parentRef.typeName, parentKey: String(parentRef.key), field: info.fieldName, args };
    if (!isListType(getNullableType(field.type))) {
      const childEcho = isMutation ? echo : echo && echoFor(info.fieldName, echo);
      return objectFor(named, origin, sizes, childEcho);
    }
    const ids = idList(field, args);
    const size = ids?.length ?? listSize(costs, childSizes.get(`${parentRef.typeName}:${parentRef.key}`), parentRef.typeName, info.fieldName, args, values, origin);
    return Array.from({ length: size }, (_, index) => {
      const item = { ...origin, index };
      return objectFor(named, item, sizes, ids ? { id: ids[index] } : undefined);
    });
  };

  const resolvers: Record<string, Record<string, unknown>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isCompositeType(getNamedType(field.type))) continue;
      (resolvers[type.name] ??= {})[field.name] = (parent: unknown, args: Record<string, unknown>, _ctx: unknown, info: GraphQLResolveInfo) => resolveComposite(parent, args, info);
    }
  }
  return addMocksToSchema({ schema, store, resolvers: resolvers as never });
}

/** The mock store, for a test or a tool that wants to set values of its own. */
export type { IMockStore };

function isRefValue(value: unknown): value is Ref {
  return typeof value === 'object' && value !== null && '$ref' in value;
}

function isLeafValue(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function argKey(args: Record<string, unknown>): string {
  const keys = Object.keys(args).sort();
  return keys.length === 0 ? '' : `(${keys.map((k) => `${k}:${JSON.stringify(args[k])}`).join(',')})`;
}

/** The arguments and the fields of an `input` argument in one record: what a mutation's result echoes. */
function flatten(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) Object.assign(out, value);
    else out[name] = value;
  }
  return out;
}

/** What a mutation result's child echoes: its own id (`title` takes `titleId`). */
function echoFor(field: string, echo: Record<string, unknown>): Record<string, unknown> | undefined {
  const id = echo[`${field}Id`];
  return typeof id === 'string' ? { id } : undefined;
}

/**
 * An object's id when the request names it: `profile(id:)`, `addToMyList(profileId:)`,
 * `heartbeat(input: { sessionId })` (an `<x>Id` whose x ends the type's name), or the id of a
 * list of ids. Else undefined, and MockValues makes one up.
 */
function idFrom(typeName: string, origin: Origin, echo: Record<string, unknown> | undefined): string | undefined {
  const sources = [echo, origin.index === undefined ? flatten(origin.args) : undefined];
  const lowerType = typeName.toLowerCase();
  for (const source of sources) {
    if (!source) continue;
    if (typeof source.id === 'string') return source.id;
    for (const [name, value] of Object.entries(source)) {
      const match = /^(.+)Id$/.exec(name);
      if (match && typeof value === 'string' && lowerType.endsWith(match[1].toLowerCase())) return value;
    }
  }
  return undefined;
}

/** A list argument of ids (`titles(ids:)`): one item per id, in order. */
function idList(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): string[] | undefined {
  for (const arg of field.args) {
    const nullable = getNullableType(arg.type);
    if (isListType(nullable) && getNamedType(arg.type).name === 'ID' && Array.isArray(args[arg.name])) return (args[arg.name] as unknown[]).map(String);
  }
  return undefined;
}

function clamp(n: number): number {
  return Math.max(0, Math.min(MAX_LIST, Math.floor(n)));
}

function listSize(
  costs: CostModel, passed: Record<string, number> | undefined, typeName: string, fieldName: string, args: Record<string, unknown>, values: MockValues, origin: Origin,
): number {
  const listSize = costs.types.get(typeName)?.fields.get(fieldName)?.listSize;
  const sliced = (listSize?.slicingArguments ?? []).map((a) => args[a]).filter((v): v is number => typeof v === 'number');
  if (sliced.length > 0) return clamp(Math.max(...sliced));
  if (passed?.[fieldName] !== undefined) return clamp(passed[fieldName]);
  const most = listSize?.assumedSize ?? 4;
  return clamp(Math.min(most, values.random(origin.parentType, origin.parentKey, origin.field, 'size').int(2, 4)));
}

/** Sizes the field's arguments give its result's own lists: `sizedFields`, and `items` by `itemsPerRow`. */
function sizesForChildren(costs: CostModel, typeName: string, fieldName: string, args: Record<string, unknown>): Record<string, number> {
  const sizes: Record<string, number> = {};
  const listSize = costs.types.get(typeName)?.fields.get(fieldName)?.listSize;
  const sliced = (listSize?.slicingArguments ?? []).map((a) => args[a]).filter((v): v is number => typeof v === 'number');
  if (sliced.length > 0) for (const child of listSize?.sizedFields ?? []) sizes[child] = Math.max(...sliced);
  for (const [child, argument] of Object.entries(ARGUMENT_SIZED_CHILDREN[`${typeName}.${fieldName}`] ?? {})) {
    if (typeof args[argument] === 'number') sizes[child] = args[argument] as number;
  }
  return sizes;
}

/** An interface or union answers with one of its object types, chosen by where it was reached. */
function concreteType(schema: GraphQLSchema, type: GraphQLNamedType, values: MockValues, origin: Origin) {
  if (isObjectType(type)) return type;
  if (!isAbstractType(type)) throw new Error(`${type.name} is not an object type`);
  const possible = schema.getPossibleTypes(type);
  return values.random(type.name, origin.parentKey, origin.field, origin.index ?? '').pick(possible);
}
