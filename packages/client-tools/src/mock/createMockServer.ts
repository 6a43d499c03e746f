import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { composeSubgraphs, subgraphsOnDisk } from '@streaming/gateway/dist/composeSupergraph';
import { createHttpApp } from '@streaming/platform';
import type { Express } from 'express';
import { artworkRoute } from './artworkRoute';
import { createMockSchema } from './createMockSchema';
import { MockValues } from './mockValues';

export interface MockServerOptions {
  /** The address clients reach the mock at: artwork URLs in answers point there. */
  publicUrl: string;
  /** Same seed, same answers. @default 1 */
  seed?: number;
}

export interface MockServer {
  /** GraphQL at / and /graphql (the gateway's paths), CORS open, images under /mock/. Not listening. */
  app: Express;
  stop(): Promise<void>;
}

/**
 * The supergraph's API schema answered by mocks, no subgraphs or stores: for a UI team whose
 * screen's data doesn't exist yet. Composed from the subgraph schemas in the working tree, so a
 * field added in a subgraph is in the mock before any resolver for it exists. Same paths, same
 * HTTP shape (the platform's app, as the gateway uses), no identity: every operation answers.
 */
export async function createMockServer(options: MockServerOptions): Promise<MockServer> {
  const publicUrl = options.publicUrl.replace(/\/$/, '');
  const { supergraphSdl, apiSchema } = composeSubgraphs(subgraphsOnDisk());
  const schema = createMockSchema({ apiSchema, supergraphSdl, seed: options.seed, publicUrl });
  const apollo = new ApolloServer({
    schema,
    introspection: true,
    plugins: [ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })],
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();
  const app = createHttpApp(apollo, {
    context: async () => ({}),
    routes: [artworkRoute(new MockValues(options.seed ?? 1, publicUrl))],
  });
  return { app, stop: () => apollo.stop() };
}
