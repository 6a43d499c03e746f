import { readFileSync } from 'node:fs';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse, type GraphQLSchema } from 'graphql';
import { authConfigFromEnv } from '../auth/authConfig';
import { authenticateRequest } from '../auth/authenticateRequest';
import { clientAddressOf } from '../auth/clientAddress';
import { createAuthServices, type AuthServices } from '../auth/AuthServices';
import { internalAuthConfigFromEnv } from '../auth/internalAuthConfig';
import { InternalCredentialSigner } from '../auth/InternalCredentialSigner';
import { InternalCredentialVerifier } from '../auth/InternalCredentialVerifier';
import { requireInternalCredential } from '../auth/requireInternalCredential';
import type { RequestIdentity } from '../auth/Viewer';
import type { Cache } from '../cache/Cache';
import { createCache } from '../cache/createCache';
import type { EventBus } from '../events/EventBus';
import { createEventBus } from '../events/createEventBus';
import { instrumentEventBus } from '../events/instrumentEventBus';
import type { SubgraphConfig, SubgraphName } from '../config';
import { EntityClient } from '../graphql/EntityClient';
import { structuralLimits, structuralLimitsFromEnv, type StructuralLimits } from '../graphql/structuralLimits';
import { createLogger } from '../log';
import { subgraphSchemaPath } from '../repoPaths';
import { formatSubgraphError } from './formatSubgraphError';
import { subgraphHealth } from './subgraphHealth';
import { createHttpApp } from '../http/createHttpApp';
import type { HttpRoute } from '../http/jsonPostRoute';
import { listen } from '../http/listen';
import { metricsRoute } from '../observability/metrics';
import { assignRequestId, contextWithRequestId, requestIdOfResponse, requestIdPlugin, tagErrors } from '../observability/requestContext';
import { traceRequest } from '../observability/traceRequest';
import { timeRootFields } from '../observability/timeRootFields';
import { openStore, type PrismaFactory, type PrismaLike, type Store } from '../store/openStore';

/** What every subgraph package exports so one lifecycle (and the tests) can run any of them. */
export interface SubgraphDefinition<P extends PrismaLike, C extends BaseContext> {
  /** Also where its SDL is: subgraphs/<name>/schema.graphql. */
  name: SubgraphName;
  createPrisma: PrismaFactory<P>;
  /**
   * Wires the subgraph once per process: repositories over the store, clients to other
   * subgraphs, the resolvers, and the per-request context (fresh DataLoaders every request).
   */
  setup(deps: SubgraphDeps<P>): SubgraphWiring<C>;
  /** True when the store holds no data yet (first start of the embedded store). */
  isEmpty(prisma: P): Promise<boolean>;
  /** Writes this subgraph's slice of the demo dataset into its own store. */
  seed(prisma: P, options: SeedOptions): Promise<void>;
  /** The one subgraph that signs people in holds the signing key; the others only verify. */
  issuesTokens?: boolean;
}

export interface SeedOptions {
  /** Dataset size: 1 = 2,000 titles and 1,000 accounts. */
  scale: number;
}

export interface SubgraphWiring<C> {
  /** Typed by each subgraph with its generated `Resolvers`; the federation helper takes a plain map. */
  resolvers: object;
  /** Per request, with the viewer every subgraph verifies for itself from the bearer token. */
  createContext(identity: RequestIdentity): C;
  /** Releases what setup opened (clients to other subgraphs). */
  dispose?(): Promise<void>;
  /** Starts background work (event consumers, flushers) once the server listens. */
  start?(): Promise<void>;
  /** HTTP endpoints of the subgraph's own, outside GraphQL (beside `/health/*`), e.g. jsonPostRoute. */
  routes?: HttpRoute[];
}

export interface SubgraphDeps<P> {
  store: Store<P>;
  cache: Cache;
  /** The playback event stream. */
  events: EventBus;
  config: SubgraphConfig;
  auth: AuthServices;
  /**
   * A client for another subgraph's `_entities` (lookups the gateway can't plan), at its
   * configured URL and carrying this process's internal credential.
   */
  entityClient(target: SubgraphName): EntityClient;
}

export function readSchema(schemaPath: string) {
  return parse(readFileSync(schemaPath, 'utf8'));
}

export interface SubgraphServerOptions {
  /** Introspection off in production (`_service { sdl }`, for tooling, is a field, not introspection). */
  production: boolean;
  /** The gateway's shape limits (depth, aliases, root fields, directives; suggestions masked in production). */
  limits: StructuralLimits;
}

/**
 * Builds a subgraph's ApolloServer without listening, so tests and the process entry point
 * share exactly the same server.
 */
export function buildSubgraphServer<C extends BaseContext>(name: SubgraphName, wiring: SubgraphWiring<C>, options: SubgraphServerOptions): ApolloServer<C> {
  const schema = timeRootFields(buildSubgraphSchema({ typeDefs: readSchema(subgraphSchemaPath(name)), resolvers: wiring.resolvers as GraphQLResolverMap<unknown> }), name);
  // Defence in depth behind the internal credential: a caller holding it (or anyone, in
  // development without one) is held to what the gateway holds clients to. No token limit: the
  // planner inlines fragments, so a fetch can have more tokens than the client's operation.
  const structure = structuralLimits(options.limits);
  return new ApolloServer<C>({
    schema,
    introspection: !options.production,
    validationRules: structure.validationRules,
    // Subgraphs are private: only the gateway talks to them, so no landing page. Inline traces
    // are for Apollo Studio, which this deployment doesn't report to; they cost time on every
    // subgraph response.
    plugins: [
      ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(),
      ...(declaresCacheHints(schema) ? [] : [ApolloServerPluginCacheControlDisabled()]),
      requestIdPlugin(), ...structure.plugins,
    ],
    includeStacktraceInErrorResponses: false,
    formatError: formatSubgraphError(createLogger(name)),
    // The process entry point owns signals (stopOnSignals): Apollo's own handler would stop the
    // server and re-raise the signal into ours, and the two stops would wait on each other.
    stopOnTerminationSignals: false,
  });
}

/**
 * Apollo's cache-control plugin, on by default, works on every field a subgraph resolves (a hint
 * object and two closures per field) to compute the answer's `Cache-Control`. In a subgraph whose
 * schema declares no `@cacheControl` it finds no hints, and every answer is uncacheable: what the
 * gateway reads from an answer without the header too (`max-age` 0 when absent, as
 * RemoteGraphQLDataSource and `subgraphCacheHints.ts` read it). So there it is off, and with it
 * its cost on each of a home screen's 200 titles. The rule that follows: a subgraph whose
 * resolvers set hints (`info.cacheControl`, as recommendation's `Title.similar` does) declares the
 * directive, or the plugin isn't there to take them.
 */
function declaresCacheHints(schema: GraphQLSchema): boolean {
  return schema.getDirective('cacheControl') !== undefined;
}

export interface RunningSubgraph<P> {
  name: SubgraphName;
  url: string;
  store: Store<P>;
  cache: Cache;
  stop(): Promise<void>;
}

export interface StartOptions {
  port?: number;
  host?: string;
  /** Reuse an open cache (tests share one per run); otherwise one is created from the config. */
  cache?: Cache;
  /** Reuse an event bus (the embedded mode shares one in-process bus between subgraphs). */
  events?: EventBus;
  /** Reuse identity services (tests: in-memory keys; the embedded mode: one revocation list). */
  auth?: AuthServices;
}

/** Opens the store and cache, seeds an empty embedded store, and listens. */
export async function startSubgraph<P extends PrismaLike, C extends BaseContext>(
  definition: SubgraphDefinition<P, C>,
  config: SubgraphConfig,
  options: StartOptions = {},
): Promise<RunningSubgraph<P>> {
  const log = createLogger(definition.name);
  // Read before anything is opened: production without the secret stops here, naming it.
  const internalAuth = internalAuthConfigFromEnv(config.env);
  const signer = internalAuth && new InternalCredentialSigner(internalAuth, definition.name);
  const store = await openStore(definition.name, config.store, definition.createPrisma);
  const ownsCache = !options.cache;
  const cache = options.cache ?? createCache({ redisUrl: config.redisUrl, keyPrefix: config.cacheKeyPrefix, component: definition.name });
  const ownsEvents = !options.events;
  const ownEvents = options.events ?? createEventBus({ redisUrl: config.redisUrl, keyPrefix: config.cacheKeyPrefix, env: config.env });
  const events = instrumentEventBus(ownEvents);
  let auth = options.auth;
  const release = async () => {
    if (!options.auth) await auth?.close();
    if (ownsEvents) await ownEvents.close();
    if (ownsCache) await cache.close();
    await store.close();
  };
  try {
    auth ??= await createAuthServices({
      config: authConfigFromEnv(config.env), needSigningKey: definition.issuesTokens,
      redisUrl: config.redisUrl, keyPrefix: config.cacheKeyPrefix, component: definition.name,
    });
    const verifier = auth.verifier;
    if (config.seedIfEmpty && (await definition.isEmpty(store.prisma))) {
      const started = Date.now();
      await definition.seed(store.prisma, { scale: config.seedScale });
      log.info(`seeded the demo dataset in ${Date.now() - started} ms`);
    }
    const entityClient = (target: SubgraphName) => new EntityClient(config.subgraphUrls[target], target, { credentials: signer });
    const wiring = definition.setup({ store, cache, events, config, auth, entityClient });
    const server = buildSubgraphServer(definition.name, wiring, { production: config.production, limits: structuralLimitsFromEnv(config.env) });
    await server.start();
    let started = false;
    const health = subgraphHealth(store, () => started);
    const app = createHttpApp(server, {
      context: async ({ req, res }) => {
        const requestId = requestIdOfResponse(res);
        try {
          return contextWithRequestId(wiring.createContext({ viewer: await authenticateRequest(req.headers, verifier), clientAddress: clientAddressOf(req), requestId }), requestId);
        } catch (err) {
          // A refused token never reaches a request's plugins: its error is tagged here.
          tagErrors([err], requestId);
          throw err;
        }
      },
      routes: [assignRequestId, health.routes, metricsRoute(), ...(wiring.routes ?? [])],
      admit: internalAuth ? [requireInternalCredential(new InternalCredentialVerifier(internalAuth, definition.name), definition.name, log)] : [],
      before: [traceRequest(definition.name)],
    });
    const http = await listen(app, { port: options.port ?? config.port, host: options.host ?? config.host });
    const stopServing = async () => {
      health.markDraining();
      await http.close();
      await server.stop();
    };
    try {
      await wiring.start?.();
    } catch (err) {
      await stopServing();
      await wiring.dispose?.();
      throw err;
    }
    started = true;
    let stopped: Promise<void> | undefined;
    return {
      name: definition.name,
      url: http.url,
      store,
      cache,
      // Idempotent: a test that stops one subgraph (an outage) and a harness that stops them all.
      stop: () =>
        (stopped ??= (async () => {
          await stopServing();
          await wiring.dispose?.();
          await release();
        })()),
    };
  } catch (err) {
    await release();
    throw err;
  }
}
