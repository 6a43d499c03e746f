import { diff } from '@graphql-inspector/core';
import { composeSubgraphs, type SubgraphSdl } from '@streaming/gateway/dist/composeSupergraph';
import { buildASTSchema, parse, type GraphQLSchema } from 'graphql';
import type { FieldUsageFile } from '../usage/fieldUsage';
import { judgeChanges, LEVELS, type Approval, type Judgement, type Level, type OperationSource } from './judgeChanges';

export interface SchemaCheckInput {
  base: { description: string; subgraphs: SubgraphSdl[] };
  subgraphs: SubgraphSdl[];
  operations: OperationSource[];
  usage?: FieldUsageFile;
  windowDays: number;
  approvals?: Approval[];
}

export interface SubgraphChange {
  subgraph: string;
  level: Level;
  message: string;
}

export interface SchemaCheckResult {
  base: string;
  /** Set when the new subgraphs don't compose: nothing else is judged then. */
  compositionErrors?: string;
  /** The base didn't compose (it was broken before this change): judged against nothing. */
  baseCompositionErrors?: string;
  /** Per subgraph, as classified; what clients see is judged on the API schema below. */
  subgraphChanges: SubgraphChange[];
  api?: Judgement;
  usage?: { exportedAt: string; sources: string[]; windowDays: number };
  pass: boolean;
}

/**
 * The whole check, on schemas already read: composition must pass; every subgraph's changes are
 * listed as classified; the composed API schema's changes are judged by the operations and
 * clients that use them (judgeChanges).
 */
export async function runSchemaCheck(input: SchemaCheckInput): Promise<SchemaCheckResult> {
  const result: SchemaCheckResult = {
    base: input.base.description,
    subgraphChanges: await subgraphChanges(input.base.subgraphs, input.subgraphs),
    usage: input.usage && { exportedAt: input.usage.exportedAt, sources: input.usage.sources, windowDays: input.windowDays },
    pass: false,
  };
  const next = compose(input.subgraphs);
  if ('errors' in next) {
    result.compositionErrors = next.errors;
    return result;
  }
  const previous = input.base.subgraphs.length > 0 ? compose(input.base.subgraphs) : { errors: 'the base has no subgraph schemas' };
  if ('errors' in previous) result.baseCompositionErrors = previous.errors;
  result.api = await judgeChanges({
    // A base that doesn't compose has no API to compare with: only the operations are checked.
    oldSchema: 'schema' in previous ? previous.schema : next.schema,
    newSchema: next.schema,
    operations: input.operations,
    usage: input.usage,
    windowDays: input.windowDays,
    approvals: input.approvals,
  });
  result.pass = result.api.pass;
  return result;
}

function compose(subgraphs: SubgraphSdl[]): { schema: GraphQLSchema } | { errors: string } {
  try {
    return { schema: composeSubgraphs(subgraphs).apiSchema };
  } catch (err) {
    return { errors: (err as Error).message };
  }
}

async function subgraphChanges(before: SubgraphSdl[], after: SubgraphSdl[]): Promise<SubgraphChange[]> {
  const names = [...new Set([...before, ...after].map((s) => s.name))].sort();
  const out: SubgraphChange[] = [];
  for (const name of names) {
    const oldSchema = subgraphSchema(before.find((s) => s.name === name));
    const newSchema = subgraphSchema(after.find((s) => s.name === name));
    if (oldSchema === 'unparseable' || newSchema === 'unparseable') {
      out.push({ subgraph: name, level: 'breaking', message: 'The schema does not parse (see the composition errors).' });
      continue;
    }
    if (!oldSchema || !newSchema) {
      out.push({ subgraph: name, level: 'safe', message: oldSchema ? 'Subgraph removed.' : 'Subgraph added.' });
      continue;
    }
    for (const change of await diff(oldSchema, newSchema)) out.push({ subgraph: name, level: LEVELS[change.criticality.level], message: change.message });
  }
  return out;
}

/**
 * A subgraph's SDL as a plain schema: federation directives (`@key`, `@link`...) are carried as
 * they are written, not checked; composition is what checks them.
 */
function subgraphSchema(subgraph: SubgraphSdl | undefined): GraphQLSchema | undefined | 'unparseable' {
  if (!subgraph) return undefined;
  try {
    return buildASTSchema(parse(subgraph.sdl), { assumeValid: true, assumeValidSDL: true });
  } catch {
    return 'unparseable';
  }
}
