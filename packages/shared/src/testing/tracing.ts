// Apart from the testing index so that only tests that trace load the SDK. The exporter comes
// from the shared package's own copy of the SDK, the one startTracing registers.
export { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
export { startTracing, stopTracing } from '../observability/tracing';
