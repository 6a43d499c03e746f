import {
  ERRORS, isCompositeType, isCustomScalarType, isListType, isNonNullType, isObjectType, isSubtype, isValidLeafValue, parseSelectionSet, Variable,
  type CompositeType, type EnumType, type Operation, type OperationElement, type OutputType, type ScalarType, type Schema, type SelectionSet,
  type VariableDefinitions,
} from '@apollo/federation-internals';
import type { GraphQLError } from 'graphql';
import { responseObject } from '../responseObject';

/*
 * The final response's projection, compiled once per operation: what stock's `computeResponse`
 * (@apollo/gateway, resultShaping.ts) works out again for every request (which directives a
 * selection has, its type's wrappers, its response name) is read here once, and the walk per
 * request only follows the compiled tree. The walk is stock's, rule for rule (null propagation,
 * `__typename` completed from the parent type, repeated response names merged, the same error
 * messages), because the differential test compares the two byte for byte. Where stock would
 * fail an assertion (a subgraph's answer of the wrong shape, a non-boolean `@skip` variable), the
 * walk gives up with `Bail` and the caller runs stock's `computeResponse` on the same data, so
 * that even those answers are stock's own.
 */

// The walk's calls, read once: through the package's index, each call would go through a re-export getter.
const isCompositeTypeOnce = isCompositeType;
const isObjectTypeOnce = isObjectType;
const isValidLeafValueOnce = isValidLeafValue;

/** Thrown where stock's shaping asserts: the caller shapes that response with stock's code. */
export class Bail extends Error {}

interface Condition { variable?: string; literal?: boolean; skip: boolean }

/** A type as the walk needs it: its wrappers unrolled, its name printed once. */
type CompiledType =
  | { kind: 'nonNull'; ofType: CompiledType; ofTypeText: string }
  | { kind: 'list'; ofType: CompiledType; text: string }
  | { kind: 'composite'; type: CompositeType; text: string }
  | { kind: 'leaf'; type: ScalarType | EnumType; text: string };

type CompiledSelection =
  | { kind: 'field'; conditions?: Condition[]; responseName: string; typename: boolean; type: CompiledType; selectionSet?: CompiledSelectionSet; leaf?: Leaf }
  | { kind: 'fragment'; conditions?: Condition[]; typeCondition?: CompositeType; selectionSet: CompiledSelectionSet };

export type CompiledSelectionSet = CompiledSelection[];

/**
 * A field whose type is a leaf, maybe non-null: the walk completes it in place, with
 * `updateOutputValue`'s rules and messages, without a result object per value.
 */
interface Leaf {
  type: ScalarType | EnumType;
  nonNull: boolean;
  /** Every value is valid (a custom scalar), or every string is (String, ID). */
  anyValue: boolean;
  anyString: boolean;
}

export interface Projection {
  schema: Schema;
  rootType: CompositeType;
  selectionSet: CompiledSelectionSet;
  /** Defaults of the operation's variables, overwritten by the request's own. */
  defaults: Record<string, any>;
  /** (type condition, runtime type name) -> whether the fragment applies; filled as met. */
  applies: Map<string, boolean>;
}

/** Compiles an operation; undefined when it selects schema introspection (stock's path handles that). */
export function compileProjection(operation: Operation): Projection | undefined {
  const schema = operation.schema();
  const rootType = schema.schemaDefinition.rootType(operation.rootKind);
  if (!rootType) return undefined;
  const selectionSet = compileSelectionSet(schema, operation.selectionSet);
  if (!selectionSet) return undefined;
  return { schema, rootType, selectionSet, defaults: operation.collectDefaultedVariableValues(), applies: new Map() };
}

/**
 * Compiles a part of an operation that the planner describes as text: what one payload of an
 * incremental (`@defer`) answer selects, on the type at its path (executeDefer.ts). Undefined
 * when it can't be compiled (the caller then answers the operation in one payload).
 */
export function compileSubselection(operation: Operation, parentType: CompositeType, source: string): Projection | undefined {
  const schema = operation.schema();
  let selectionSet: SelectionSet;
  try {
    selectionSet = parseSelectionSet({ parentType, source, variableDefinitions: operation.variableDefinitions as VariableDefinitions, validate: false });
  } catch {
    return undefined;
  }
  const compiled = compileSelectionSet(schema, selectionSet);
  if (!compiled) return undefined;
  return { schema, rootType: parentType, selectionSet: compiled, defaults: operation.collectDefaultedVariableValues(), applies: new Map() };
}

/** The composite type a field of this response name has, below `parentType` in the compiled tree (fragments searched too). */
export function typeAtResponseName(selections: CompiledSelectionSet, responseName: string): { type: CompositeType; selectionSet: CompiledSelectionSet } | undefined {
  for (const selection of selections) {
    if (selection.kind === 'fragment') {
      const found = typeAtResponseName(selection.selectionSet, responseName);
      if (found) return found;
    } else if (selection.responseName === responseName && selection.selectionSet) {
      let type = selection.type;
      while (type.kind === 'nonNull' || type.kind === 'list') type = type.ofType;
      if (type.kind === 'composite') return { type: type.type, selectionSet: selection.selectionSet };
    }
  }
  return undefined;
}

function compileSelectionSet(schema: Schema, selectionSet: SelectionSet): CompiledSelectionSet | undefined {
  const out: CompiledSelectionSet = [];
  for (const selection of selectionSet.selections()) {
    const conditions = compileConditions(schema, selection.element);
    if (selection.kind === 'FieldSelection') {
      const field = selection.element;
      if (field.definition.isSchemaIntrospectionField()) return undefined;
      let sub: CompiledSelectionSet | undefined;
      if (selection.selectionSet) {
        sub = compileSelectionSet(schema, selection.selectionSet);
        if (!sub) return undefined;
      }
      const type = compileType(field.definition.type!);
      out.push({ kind: 'field', conditions, responseName: field.responseName(), typename: field.name === '__typename', type, selectionSet: sub, leaf: sub ? undefined : compileLeaf(schema, type) });
    } else {
      const sub = compileSelectionSet(schema, selection.selectionSet);
      if (!sub) return undefined;
      out.push({ kind: 'fragment', conditions, typeCondition: selection.element.typeCondition, selectionSet: sub });
    }
  }
  return out;
}

function compileConditions(schema: Schema, element: OperationElement): Condition[] | undefined {
  const out: Condition[] = [];
  const skip = element.appliedDirectivesOf(schema.skipDirective())[0];
  const include = element.appliedDirectivesOf(schema.includeDirective())[0];
  // Skip first, as stock evaluates them.
  for (const [directive, isSkip] of [[skip, true], [include, false]] as const) {
    if (!directive) continue;
    const ifArg = (directive.arguments() as { if: boolean | Variable }).if;
    out.push(ifArg instanceof Variable ? { variable: ifArg.name, skip: isSkip } : { literal: ifArg, skip: isSkip });
  }
  return out.length > 0 ? out : undefined;
}

function compileType(type: OutputType): CompiledType {
  if (isNonNullType(type)) return { kind: 'nonNull', ofType: compileType(type.ofType), ofTypeText: `${type.ofType}` };
  if (isListType(type)) return { kind: 'list', ofType: compileType(type.ofType), text: `${type}` };
  if (isCompositeType(type)) return { kind: 'composite', type, text: `${type}` };
  return { kind: 'leaf', type: type as ScalarType | EnumType, text: `${type}` };
}

function compileLeaf(schema: Schema, type: CompiledType): Leaf | undefined {
  const nonNull = type.kind === 'nonNull';
  const inner = type.kind === 'nonNull' ? type.ofType : type;
  if (inner.kind !== 'leaf') return undefined;
  const leaf = inner.type;
  return {
    type: leaf,
    nonNull,
    anyValue: isCustomScalarType(leaf),
    anyString: leaf === schema.stringType() || leaf === schema.idType(),
  };
}

interface Run {
  projection: Projection;
  variables: Record<string, any>;
  errors: GraphQLError[];
  /**
   * What the last `updateOutputValue` call found besides its value (INVALID, HAS_ERRORS), read
   * by its caller right after: stock returns an object per value for that, which on a home
   * screen was a couple of thousand short-lived objects per response, in a gateway whose CPU is
   * a quarter garbage collection.
   */
  flags: number;
}

/** A null that must bubble up to the nearest nullable parent. */
const INVALID = 1;
/** An error was recorded for this value (the parent records no second one). */
const HAS_ERRORS = 2;

/**
 * Shapes the merged subgraph data into the response, as stock's `computeResponse` does.
 * Throws `Bail` where stock would fail an assertion.
 */
export function project(
  projection: Projection,
  requestVariables: Record<string, any> | undefined,
  input: Record<string, any> | null | undefined,
  /** Where `input` sits in the response (an incremental payload's path); errors' paths start with it. */
  at: (string | number)[] = [],
): { data: Record<string, any> | null | undefined; errors: GraphQLError[] } {
  if (!input) return { data: input, errors: [] };
  const variables = requestVariables ? { __proto__: null, ...projection.defaults, ...requestVariables } : projection.defaults;
  const run: Run = { projection, variables, errors: [], flags: 0 };
  const data = responseObject();
  const bubbled = applySelectionSet(run, input, projection.selectionSet, data, [...at], projection.rootType);
  return { data: bubbled ? null : data, errors: run.errors };
}

function skipped(run: Run, conditions: Condition[]): boolean {
  for (const condition of conditions) {
    let value: unknown = condition.literal;
    if (condition.variable !== undefined) {
      value = run.variables[condition.variable];
      if (typeof value !== 'boolean') throw new Bail();
    }
    if (condition.skip ? value : !value) return true;
  }
  return false;
}

function getOwn(object: Record<string, any>, key: string): any {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

function typeConditionApplies(run: Run, typeCondition: CompositeType | undefined, typename: string | undefined, parentType: CompositeType): boolean {
  if (!typeCondition) return true;
  const key = `${typeCondition.name}\u0000${typename ?? ''}\u0000${typename ? '' : parentType.name}`;
  let applies = run.projection.applies.get(key);
  if (applies === undefined) {
    if (typename) {
      const type = run.projection.schema.type(typename);
      applies = !!type && isSubtype(typeCondition, type);
    } else {
      applies = isSubtype(typeCondition, parentType);
    }
    run.projection.applies.set(key, applies);
  }
  return applies;
}

/** True when a null must bubble up to the parent. */
function applySelectionSet(run: Run, input: Record<string, any>, selections: CompiledSelectionSet, output: Record<string, any>, path: (string | number)[], parentType: CompositeType): boolean {
  for (const selection of selections) {
    if (selection.conditions && skipped(run, selection.conditions)) continue;
    if (selection.kind === 'field') {
      const responseName = selection.responseName;
      const outputValue = output[responseName];
      let inputValue = getOwn(input, responseName) ?? null;
      if (selection.typename) {
        if (outputValue === undefined) {
          if (inputValue === null && responseName !== '__typename') inputValue = input.__typename ?? null;
          const type = inputValue !== null && typeof inputValue === 'string'
            ? run.projection.schema.type(inputValue) ?? parentType
            : parentType;
          if (!isObjectTypeOnce(type)) return true;
          output[responseName] = type.name;
        }
        continue;
      }
      path.push(responseName);
      const leaf = selection.leaf;
      if (leaf && outputValue === undefined) {
        // updateOutputValue's leaf and non-null rules, inlined.
        let value = inputValue;
        let hasErrors = false;
        if (value !== null && !leaf.anyValue && !(leaf.anyString && typeof value === 'string') && !isValidLeafValueOnce(run.projection.schema, value, leaf.type)) {
          run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid value found for field ${parentType.name}.${responseName}.`, { path: Array.from(path) }));
          value = null;
          hasErrors = true;
        }
        output[responseName] = value;
        path.pop();
        if (value === null && leaf.nonNull) {
          if (!hasErrors) run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Cannot return null for non-nullable field ${parentType.name}.${responseName}.`, { path: [...path, responseName] }));
          return true;
        }
        continue;
      }
      output[responseName] = updateOutputValue(run, outputValue, selection.type, inputValue, selection.selectionSet, path, parentType);
      path.pop();
      if (run.flags & INVALID) return true;
    } else {
      const typename = input.__typename;
      if (typename && typeof typename !== 'string') throw new Bail();
      if (typeConditionApplies(run, selection.typeCondition, typename, parentType)) {
        if (applySelectionSet(run, input, selection.selectionSet, output, path, selection.typeCondition ?? parentType)) return true;
      }
    }
  }
  return false;
}

function describeLast(path: (string | number)[], typeText: string, parentType: CompositeType): string {
  const element = path[path.length - 1];
  return typeof element === 'string' ? `field ${parentType.name}.${element}` : `array element of type ${typeText} at index ${element}`;
}

/** The value for the response (stock's `updateOutputValue`); what else it found is in `run.flags`. */
function updateOutputValue(run: Run, outputValue: any, type: CompiledType, inputValue: any, selectionSet: CompiledSelectionSet | undefined, path: (string | number)[], parentType: CompositeType): any {
  if (outputValue === null || (outputValue !== undefined && !selectionSet)) {
    run.flags = 0;
    return outputValue;
  }

  if (type.kind === 'nonNull') {
    const inner = updateOutputValue(run, outputValue, type.ofType, inputValue, selectionSet, path, parentType);
    if (inner === null) {
      if (!(run.flags & HAS_ERRORS)) {
        run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Cannot return null for non-nullable ${describeLast(path, type.ofTypeText, parentType)}.`, { path: Array.from(path) }));
      }
      run.flags = INVALID | HAS_ERRORS;
      return null;
    }
    run.flags = 0;
    return inner;
  }

  if (inputValue === null) {
    run.flags = 0;
    return null;
  }

  if (type.kind === 'list') {
    if (!Array.isArray(inputValue)) throw new Bail();
    if (outputValue !== undefined && (!Array.isArray(outputValue) || outputValue.length !== inputValue.length)) throw new Bail();
    const length = inputValue.length;
    const updated = new Array(length);
    let shouldNullify = false;
    let hasErrors = false;
    for (let i = 0; i < length; i++) {
      path.push(i);
      updated[i] = updateOutputValue(run, outputValue === undefined ? undefined : outputValue[i], type.ofType, inputValue[i], selectionSet, path, parentType);
      path.pop();
      if (run.flags & INVALID) shouldNullify = true;
      if (run.flags & HAS_ERRORS) hasErrors = true;
    }
    run.flags = hasErrors ? HAS_ERRORS : 0;
    return shouldNullify ? null : updated;
  }

  if (type.kind === 'composite') {
    if (!selectionSet || typeof inputValue !== 'object') throw new Bail();
    if (outputValue !== undefined && typeof outputValue !== 'object') throw new Bail();
    const inputTypename = inputValue.__typename;
    if (inputTypename !== undefined && typeof inputTypename !== 'string') throw new Bail();
    let objType: CompositeType = type.type;
    if (inputTypename) {
      const typenameType = run.projection.schema.type(inputTypename);
      if (!typenameType || !isCompositeTypeOnce(typenameType)) {
        run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid __typename found for object at ${describeLast(path, type.text, parentType)}.`, { path: Array.from(path) }));
        run.flags = HAS_ERRORS;
        return null;
      }
      objType = typenameType;
    }
    const outputObject: Record<string, any> = outputValue === undefined ? responseObject() : outputValue;
    const bubbled = applySelectionSet(run, inputValue, selectionSet, outputObject, path, objType);
    run.flags = bubbled ? HAS_ERRORS : 0;
    return bubbled ? null : outputObject;
  }

  if (outputValue !== undefined) throw new Bail();
  if (!isValidLeafValueOnce(run.projection.schema, inputValue, type.type)) {
    run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${describeLast(path, type.text, parentType)}.`, { path: Array.from(path) }));
    run.flags = HAS_ERRORS;
    return null;
  }
  run.flags = 0;
  return inputValue;
}
