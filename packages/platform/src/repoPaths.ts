import path from 'node:path';
import type { SubgraphName } from './config';

/** The repository root, from this file in src/ (tests) or dist/ (builds): both sit one level down. */
const repoRoot = path.resolve(__dirname, '../../..');

/** A subgraph's SDL, by the layout every subgraph follows: what it serves and what composition reads. */
export function subgraphSchemaPath(name: SubgraphName): string {
  return path.join(repoRoot, 'subgraphs', name, 'schema.graphql');
}

/** A subgraph's committed Prisma migrations. */
export function migrationsDirFor(name: SubgraphName): string {
  return path.join(repoRoot, 'prisma', name, 'migrations');
}
