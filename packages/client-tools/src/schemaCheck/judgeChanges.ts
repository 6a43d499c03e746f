import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import {
  getNamedType, isEnumType, isInputObjectType, isInterfaceType, isNonNullType, isObjectType, parse, validate, type GraphQLSchema,
} from 'graphql';
import type { FieldUsageFile } from '../usage/fieldUsage';
import { inputTypesReachableFrom, operationUsage, type OperationUsage } from './operationUsage';

export type Level = 'breaking' | 'dangerous' | 'safe';

/** A breaking change someone accepted on purpose, committed with the reason (schema-approvals.json). */
export interface Approval {
  /** The change's id as the report prints it: `<TYPE>:<path>`, e.g. `FIELD_TYPE_CHANGED:Title.name`. */
  change: string;
  reason: string;
}

export interface OperationUse {
  operation: string;
  /** How it uses what changed, in words. */
  how: string;
}

export interface ClientUse {
  client: string;
  /** The `Type.field` the usage was counted on. */
  field: string;
  count: number;
  lastUsedAt?: string;
}

export interface ChangeVerdict {
  /** `<TYPE>:<path>`: what an approval names. */
  id: string;
  type: string;
  path?: string;
  message: string;
  level: Level;
  pass: boolean;
  /** Why it passes or fails, one sentence each. */
  reasons: string[];
  operations: OperationUse[];
  clients: ClientUse[];
  approval?: string;
}

export interface OperationSource {
  name: string;
  body: string;
}

export interface JudgeInput {
  oldSchema: GraphQLSchema;
  newSchema: GraphQLSchema;
  operations: OperationSource[];
  usage?: FieldUsageFile;
  windowDays: number;
  approvals?: Approval[];
}

export interface Judgement {
  changes: ChangeVerdict[];
  /** Registered operations the new schema rejects outright (a backstop for any change kind). */
  invalidOperations: Array<{ operation: string; errors: string[] }>;
  /** Approvals that matched no change: stale, or a typo. */
  unusedApprovals: Approval[];
  pass: boolean;
}

/** graphql-inspector's criticality in the report's words. */
export const LEVELS: Record<CriticalityLevel, Level> = {
  [CriticalityLevel.Breaking]: 'breaking',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'safe',
};

/**
 * Classifies every change between two API schemas with graphql-inspector and judges each one by
 * who uses it: a breaking change fails if a registered operation uses what it breaks, if a client
 * selected it within the usage window, or if it removes a field or enum value that wasn't
 * deprecated on the base. Dangerous changes pass with the operations they may surprise listed.
 */
export async function judgeChanges(input: JudgeInput): Promise<Judgement> {
  const { oldSchema, newSchema } = input;
  const documents = input.operations.map((op) => ({ name: op.name, document: parse(op.body) }));
  const operations = documents.map(({ name, document }) => operationUsage(name, document, [oldSchema, newSchema]));
  const window = usageWindow(input.usage, input.windowDays);
  const approvals = new Map((input.approvals ?? []).map((a) => [a.change, a]));
  const used = new Set<string>();
  const changes: ChangeVerdict[] = [];
  for (const change of await diff(oldSchema, newSchema)) {
    const verdict = judge(change, { oldSchema, newSchema, operations, window, windowDays: input.windowDays });
    const approval = approvals.get(verdict.id);
    if (approval) {
      used.add(verdict.id);
      if (!verdict.pass) {
        verdict.pass = true;
        verdict.approval = approval.reason;
        verdict.reasons.push(`Approved in schema-approvals.json: ${approval.reason}`);
      }
    }
    changes.push(verdict);
  }
  const invalidOperations = documents
    .map(({ name, document }) => ({ operation: name, errors: validate(newSchema, document).map((e) => e.message) }))
    .filter((o) => o.errors.length > 0);
  const unusedApprovals = [...approvals.values()].filter((a) => !used.has(a.change));
  return { changes, invalidOperations, unusedApprovals, pass: changes.every((c) => c.pass) && invalidOperations.length === 0 };
}

interface Context {
  oldSchema: GraphQLSchema;
  newSchema: GraphQLSchema;
  operations: OperationUsage[];
  window?: UsageWindow;
  windowDays: number;
}

/** Who a change reaches: operations (with how) and the `Type.field` coordinates usage is counted on. */
interface Reach {
  operations: OperationUse[];
  fields: string[];
  /** Said when the usage counts can only approximate who is reached (they count fields, not arguments or values). */
  usageNote?: string;
}

function judge(change: Change, ctx: Context): ChangeVerdict {
  const level = LEVELS[change.criticality.level];
  const verdict: ChangeVerdict = {
    id: `${change.type}:${change.path ?? ''}`, type: change.type, path: change.path, message: change.message, level, pass: true, reasons: [], operations: [], clients: [],
  };
  if (level === 'safe') {
    verdict.reasons.push('Safe: no client can notice.');
    return verdict;
  }
  const reach = reachOf(change, ctx);
  if (!reach) {
    if (level === 'breaking') {
      verdict.pass = false;
      verdict.reasons.push(`The check can't tell which operations a ${change.type} change affects, so it fails safe: review it, and approve it in schema-approvals.json if no client is affected.`);
    } else verdict.reasons.push('Dangerous: clients may see new behaviour; the check can\'t tell which.');
    return verdict;
  }
  verdict.operations = reach.operations;
  verdict.clients = clientsOf(reach.fields, ctx.window);
  if (level === 'dangerous') {
    verdict.reasons.push(
      reach.operations.length > 0
        ? `Dangerous, passes: ${names(reach.operations)} may see it (${change.criticality.reason ?? 'e.g. a value they do not expect'}).`
        : 'Dangerous, passes: no registered operation is affected.',
    );
    return verdict;
  }
  const undeprecated = removedWithoutDeprecation(change);
  if (undeprecated) {
    verdict.pass = false;
    verdict.reasons.push(`${undeprecated} was removed without being deprecated first: mark it @deprecated(reason: "...") in one change, and remove it in a later one once no client uses it.`);
  }
  if (reach.operations.length > 0) {
    verdict.pass = false;
    verdict.reasons.push(`Used by registered operation${reach.operations.length > 1 ? 's' : ''} ${names(reach.operations)}.`);
  }
  if (verdict.clients.length > 0) {
    verdict.pass = false;
    const clients = [...new Set(verdict.clients.map((c) => c.client))].join(', ');
    verdict.reasons.push(`Used within the last ${ctx.windowDays} days by client${verdict.clients.length > 1 ? 's' : ''} ${clients}${reach.usageNote ? ` (${reach.usageNote})` : ''}.`);
  }
  if (verdict.pass) {
    verdict.reasons.push(
      ctx.window
        ? `Breaking, but no registered operation uses it and no client used it in the ${ctx.windowDays} days before the usage export.`
        : 'Breaking, but no registered operation uses it (no usage file given: clients outside operations/ were not considered).',
    );
  }
  return verdict;
}

function names(uses: OperationUse[]): string {
  return [...new Set(uses.map((u) => u.operation))].join(', ');
}

/** Removing a field or enum value needs `@deprecated` on it in the base first. */
function removedWithoutDeprecation(change: Change): string | undefined {
  if (change.type === 'FIELD_REMOVED' && !change.meta.isRemovedFieldDeprecated) return `Field ${change.path}`;
  if (change.type === 'ENUM_VALUE_REMOVED' && !change.meta.isEnumValueDeprecated) return `Enum value ${change.path}`;
  return undefined;
}

function reachOf(change: Change, ctx: Context): Reach | undefined {
  const m = change.meta as Record<string, any>;
  const byCoordinate = (coordinate: string, how: string): OperationUse[] =>
    ctx.operations.filter((o) => o.uses.has(coordinate)).map((o) => ({ operation: o.name, how: `${how} ${coordinate}` }));
  const bySending = (inputType: string, literal: string | undefined, what: string): OperationUse[] => ctx.operations.flatMap((o) => {
    if (literal && o.uses.has(literal)) return [{ operation: o.name, how: `sends ${literal}` }];
    if (!literal && o.uses.has(inputType)) return [{ operation: o.name, how: `sends ${inputType}` }];
    const variable = o.variableInputs.get(inputType);
    return variable ? [{ operation: o.name, how: `may send ${what} in ${variable} (a variable of a type that reaches ${inputType})` }] : [];
  });
  switch (change.type) {
    case 'FIELD_REMOVED': {
      const field = `${m.typeName}.${m.removedFieldName}`;
      return { operations: byCoordinate(field, 'selects'), fields: [field] };
    }
    case 'FIELD_TYPE_CHANGED': {
      const field = `${m.typeName}.${m.fieldName}`;
      return { operations: byCoordinate(field, 'selects'), fields: [field] };
    }
    case 'FIELD_ARGUMENT_ADDED':
    case 'FIELD_ARGUMENT_DEFAULT_CHANGED': {
      // Every selection of the field is reached: a new required argument fails them all.
      const field = `${m.typeName}.${m.fieldName}`;
      return { operations: byCoordinate(field, 'selects'), fields: [field] };
    }
    case 'FIELD_ARGUMENT_REMOVED':
    case 'FIELD_ARGUMENT_TYPE_CHANGED': {
      const field = `${m.typeName}.${m.fieldName}`;
      const argument = `${field}.${m.argumentName ?? m.removedFieldArgumentName}`;
      const nowRequired = change.type === 'FIELD_ARGUMENT_TYPE_CHANGED' && becameRequired(ctx.newSchema, m.typeName, m.fieldName, m.argumentName);
      return {
        operations: nowRequired ? byCoordinate(field, 'selects') : byCoordinate(argument, 'passes'),
        fields: [field],
        usageNote: nowRequired ? undefined : 'usage is counted per field, not per argument, so every use of the field counts',
      };
    }
    case 'ENUM_VALUE_REMOVED': {
      const value = `${m.enumName}.${m.removedEnumValueName}`;
      return {
        operations: bySending(m.enumName, value, m.removedEnumValueName),
        fields: fieldsTaking(ctx.oldSchema, m.enumName),
        usageNote: `counted on the fields that take ${m.enumName} as input`,
      };
    }
    case 'ENUM_VALUE_ADDED': {
      const readers = ctx.operations.filter((o) => o.reads.has(m.enumName)).map((o) => ({ operation: o.name, how: `reads ${m.enumName}` }));
      return { operations: readers, fields: [] };
    }
    case 'INPUT_FIELD_REMOVED':
    case 'INPUT_FIELD_TYPE_CHANGED': {
      const name = m.removedFieldName ?? m.inputFieldName;
      return {
        operations: bySending(m.inputName, `${m.inputName}.${name}`, name),
        fields: fieldsTaking(ctx.oldSchema, m.inputName),
        usageNote: `counted on the fields that take ${m.inputName}`,
      };
    }
    case 'INPUT_FIELD_ADDED':
    case 'INPUT_FIELD_DEFAULT_VALUE_CHANGED':
      return {
        operations: bySending(m.inputName, undefined, m.inputName),
        fields: fieldsTaking(ctx.oldSchema, m.inputName),
        usageNote: `counted on the fields that take ${m.inputName}`,
      };
    case 'TYPE_REMOVED':
    case 'TYPE_KIND_CHANGED': {
      const type = m.removedTypeName ?? m.typeName;
      const operations = ctx.operations.flatMap((o) => {
        if (o.uses.has(type)) return [{ operation: o.name, how: `uses type ${type}` }];
        const variable = o.variableInputs.get(type);
        return variable ? [{ operation: o.name, how: `may send ${type} in ${variable}` }] : [];
      });
      return { operations, fields: [...fieldsOfType(ctx.oldSchema, type), ...fieldsReturning(ctx.oldSchema, type)] };
    }
    case 'UNION_MEMBER_REMOVED':
      return { operations: byCoordinate(m.removedUnionMemberTypeName, 'has a fragment on'), fields: fieldsOfType(ctx.oldSchema, m.removedUnionMemberTypeName) };
    case 'UNION_MEMBER_ADDED':
      return { operations: ctx.operations.filter((o) => o.reads.has(m.unionName)).map((o) => ({ operation: o.name, how: `reads ${m.unionName}` })), fields: [] };
    case 'OBJECT_TYPE_INTERFACE_REMOVED':
      return { operations: byCoordinate(m.removedInterfaceName, 'uses interface'), fields: fieldsOfType(ctx.oldSchema, m.removedInterfaceName) };
    case 'OBJECT_TYPE_INTERFACE_ADDED':
      return { operations: ctx.operations.filter((o) => o.reads.has(m.addedInterfaceName)).map((o) => ({ operation: o.name, how: `reads ${m.addedInterfaceName}` })), fields: [] };
    case 'DIRECTIVE_REMOVED':
    case 'DIRECTIVE_LOCATION_REMOVED':
    case 'DIRECTIVE_ARGUMENT_ADDED':
    case 'DIRECTIVE_ARGUMENT_REMOVED':
    case 'DIRECTIVE_ARGUMENT_TYPE_CHANGED':
    case 'DIRECTIVE_REPEATABLE_REMOVED': {
      const directive = `@${m.removedDirectiveName ?? m.directiveName}`;
      return { operations: byCoordinate(directive, 'uses'), fields: [] };
    }
    case 'SCHEMA_QUERY_TYPE_CHANGED':
    case 'SCHEMA_MUTATION_TYPE_CHANGED':
    case 'SCHEMA_SUBSCRIPTION_TYPE_CHANGED': {
      const kind = change.type.split('_')[1].toLowerCase();
      return { operations: ctx.operations.filter((o) => o.kind === kind).map((o) => ({ operation: o.name, how: `is a ${kind}` })), fields: [] };
    }
    default:
      return undefined;
  }
}

function becameRequired(schema: GraphQLSchema, typeName: string, fieldName: string, argumentName: string): boolean {
  const type = schema.getType(typeName);
  if (!type || !(isObjectType(type) || isInterfaceType(type))) return false;
  const arg = type.getFields()[fieldName]?.args.find((a) => a.name === argumentName);
  return Boolean(arg && isNonNullType(arg.type) && arg.defaultValue === undefined);
}

/** `Type.field` of every field whose arguments reach the input type or enum. */
function fieldsTaking(schema: GraphQLSchema, inputName: string): string[] {
  const out: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.some((a) => inputTypesReachableFrom(getNamedType(a.type)).includes(inputName))) out.push(`${type.name}.${field.name}`);
    }
  }
  return out;
}

function fieldsOfType(schema: GraphQLSchema, typeName: string): string[] {
  const type = schema.getType(typeName);
  if (!type || !(isObjectType(type) || isInterfaceType(type))) {
    return type && (isEnumType(type) || isInputObjectType(type)) ? fieldsTaking(schema, typeName) : [];
  }
  return Object.keys(type.getFields()).map((f) => `${typeName}.${f}`);
}

function fieldsReturning(schema: GraphQLSchema, typeName: string): string[] {
  const out: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) if (getNamedType(field.type).name === typeName) out.push(`${type.name}.${field.name}`);
  }
  return out;
}

interface UsageWindow {
  since: string;
  byField: Map<string, ClientUse[]>;
}

/** Usage within `windowDays` before the export (not before now: an old file says nothing about today). */
function usageWindow(usage: FieldUsageFile | undefined, windowDays: number): UsageWindow | undefined {
  if (!usage) return undefined;
  const since = new Date(Date.parse(usage.exportedAt) - windowDays * 86_400_000).toISOString();
  const byField = new Map<string, ClientUse[]>();
  for (const entry of usage.fields) {
    if (!entry.lastUsedAt || entry.lastUsedAt < since) continue;
    const list = byField.get(entry.coordinate) ?? [];
    list.push({ client: entry.client, field: entry.coordinate, count: entry.count, lastUsedAt: entry.lastUsedAt });
    byField.set(entry.coordinate, list);
  }
  return { since, byField };
}

function clientsOf(fields: string[], window: UsageWindow | undefined): ClientUse[] {
  if (!window) return [];
  return [...new Set(fields)].flatMap((f) => window.byField.get(f) ?? []);
}

