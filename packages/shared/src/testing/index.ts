export * from './testDatabases';
export { TcpProxy } from './tcpProxy';
export { postGraphQL, type GraphQLResponse } from './graphqlClient';
// The shared package's own copy of the SDK, the one startTracing registers.
export { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
export { startTracing, stopTracing } from '../observability/tracing';
