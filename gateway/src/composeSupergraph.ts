import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { DEFAULT_PORTS, SUBGRAPH_NAMES, subgraphSchemaPath, type SubgraphName } from '@streaming/platform/core';
import { parse, type GraphQLSchema } from 'graphql';

/** Raised with every composition error's code and message, so a broken schema says why. */
export class CompositionError extends Error {}

/** One subgraph's SDL by name: what composition reads (from disk, or from a git revision). */
export interface SubgraphSdl {
  name: string;
  sdl: string;
  url?: string;
}

/**
 * Composes the four subgraph schemas into the supergraph the gateway serves, with the same
 * library Rover uses (Rover itself can't be installed here). URLs default to the local ports;
 * the gateway overrides them at run time from its config.
 */
export function composeSupergraph(urls: Partial<Record<SubgraphName, string>> = {}): string {
  return composeSubgraphs(subgraphsOnDisk(urls)).supergraphSdl;
}

/** The schema clients see (no federation machinery): what operations are validated against. */
export function composeApiSchema(): GraphQLSchema {
  return composeSubgraphs(subgraphsOnDisk()).apiSchema;
}

/** The subgraph schemas as they are in the working tree. */
export function subgraphsOnDisk(urls: Partial<Record<SubgraphName, string>> = {}): SubgraphSdl[] {
  return SUBGRAPH_NAMES.map((name) => ({
    name,
    url: urls[name] ?? `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`,
    sdl: readFileSync(subgraphSchemaPath(name), 'utf8'),
  }));
}

/**
 * Composes any set of subgraph SDLs (the schema check composes the ones at a git revision too):
 * the supergraph SDL and the API schema clients see. Throws CompositionError with every error.
 */
export function composeSubgraphs(subgraphs: SubgraphSdl[]): { supergraphSdl: string; apiSchema: GraphQLSchema } {
  const result = composeServices(
    subgraphs.map(({ name, sdl, url }) => ({ name, url: url ?? `http://${name}.invalid/graphql`, typeDefs: parse(sdl) })),
  );
  if (result.errors) {
    const details = result.errors.map((e) => `${(e.extensions?.code as string) ?? 'ERROR'}: ${e.message}`).join('\n');
    throw new CompositionError(`Supergraph composition failed:\n${details}`);
  }
  // `@defer` included: the gateway takes it (executor/deferDirective.ts).
  return { supergraphSdl: result.supergraphSdl, apiSchema: result.schema.toAPISchema().toGraphQLJSSchema({ includeDefer: true }) };
}
