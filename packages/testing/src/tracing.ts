// Apart from the index so that only tests that trace load the SDK. The same major version as the
// SDK the platform's startTracing runs (the root node_modules holds an older one for Hive Gateway).
export { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
