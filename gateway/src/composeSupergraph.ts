import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { DEFAULT_PORTS, SUBGRAPH_NAMES, subgraphSchemaPath, type SubgraphName } from '@streaming/platform';
import { parse, type GraphQLSchema } from 'graphql';

/** Raised with every composition error's code and message, so a broken schema says why. */
export class CompositionError extends Error {}

/**
 * Composes the four subgraph schemas into the supergraph the gateway serves, with the same
 * library Rover uses (Rover itself can't be installed here). URLs default to the local ports;
 * the gateway overrides them at run time from its config.
 */
export function composeSupergraph(urls: Partial<Record<SubgraphName, string>> = {}): string {
  return compose(urls).supergraphSdl;
}

/** The schema clients see (no federation machinery): what operations are validated against. */
export function composeApiSchema(): GraphQLSchema {
  return compose().schema.toAPISchema().toGraphQLJSSchema();
}

function compose(urls: Partial<Record<SubgraphName, string>> = {}) {
  const result = composeServices(
    SUBGRAPH_NAMES.map((name) => ({
      name,
      url: urls[name] ?? `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`,
      typeDefs: parse(readFileSync(subgraphSchemaPath(name), 'utf8')),
    })),
  );
  if (result.errors) {
    const details = result.errors.map((e) => `${(e.extensions?.code as string) ?? 'ERROR'}: ${e.message}`).join('\n');
    throw new CompositionError(`Supergraph composition failed:\n${details}`);
  }
  return result;
}
