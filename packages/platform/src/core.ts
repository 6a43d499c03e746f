/*
 * The platform without what only a subgraph runs: its store (Prisma, pg, PGlite), migrations,
 * subgraph server (@apollo/subgraph), caches and event bus. The gateway imports this entry
 * (`@streaming/platform/core`): through the whole package it loaded 79 modules it never ran
 * (the store's Prisma, pg and PGlite among them), 2 MB of live heap and 3-4 MB of RSS per
 * gateway process, measured by requiring gateway/dist/server.js in a bare process either way.
 * Subgraphs import the package itself (index.ts), which is this and the rest.
 */
export * from './config';
export * from './log';
export { growingLru, type GrowingLruOptions } from './cache/growingLru';
export { failFastRedisOptions } from './redis/failFastRedisOptions';
export { createRedisClient, isCluster, isClusterUrl, parseClusterUrl, redisUrlFromEnv, type RedisClient } from './redis/createRedisClient';
export * from './graphql/errors';
export * from './graphql/maturity';
export * from './graphql/structuralLimits';
export { validationRuleCode } from './graphql/validationRuleCode';
export * from './auth';
export { migrationsDirFor, subgraphSchemaPath } from './repoPaths';
export { stopOnSignals } from './server/stopOnSignals';
export { READINESS_CACHE_MS } from './server/subgraphHealth';
export { createHttpApp, GRAPHQL_PATHS, jsonErrorHandler, type HttpAppOptions } from './http/createHttpApp';
export { listen, type HttpListener } from './http/listen';
export { addressKey } from './http/addressKey';
export { createHealth, type Health, type ReadinessCheck } from './http/healthRoutes';
export * from './observability/metrics';
export * from './observability/requestContext';
export { withSpan, tracingEnabled } from './observability/spans';
export { traceRequest } from './observability/traceRequest';
