import { context, propagation, trace } from '@opentelemetry/api';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { markTracingEnabled } from './spans';

/** Exports nothing: for measuring what tracing costs (the bench) without a collector. */
class DiscardingExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: { code: 0 }) => void): void {
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

export interface TracingOptions {
  /** Where spans go instead of what the environment says (tests: an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
  env?: Record<string, string | undefined>;
}

let sdk: NodeSDK | undefined;

/**
 * Starts OpenTelemetry tracing for this process, if asked for, and before anything it traces is
 * loaded (entry points import their `tracing.ts` first). On when:
 * - `OTEL_EXPORTER_OTLP_ENDPOINT` (or `..._TRACES_ENDPOINT`) is set: spans go there by OTLP;
 * - `OTEL_TRACES_EXPORTER=console`: spans are printed (development, no collector needed);
 * - `OTEL_TRACES_EXPORTER=discard`: spans are made and dropped (the bench's overhead variant).
 * Otherwise nothing is loaded or patched: tracing off costs nothing (the SDK and instrumentations
 * are required only once tracing is on: loading them took a third of every process's start-up).
 * Sampling follows the
 * standard `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG` (default: always, or as the caller's
 * `traceparent` says); `OTEL_SDK_DISABLED=true` turns it all off.
 */
export function startTracing(serviceName: string, options: TracingOptions = {}): boolean {
  const env = options.env ?? process.env;
  if (sdk || env.OTEL_SDK_DISABLED === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim());
  const otlp = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const discard = exporters.includes('discard');
  if (!options.spanProcessors && !discard && !otlp && !exporters.includes('console')) return false;

  // Required here, not imported at the top: only a process that traces pays for loading them.
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const spanProcessors = options.spanProcessors ?? (discard ? [new BatchSpanProcessor(new DiscardingExporter())] : undefined);

  sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || serviceName,
    // Undefined: the exporters the environment names (OTLP by default, console if asked).
    spanProcessors,
    // Metrics are Prometheus's job here (/metrics), and logs go to stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes are not requests anyone wants to trace.
        ignoreIncomingRequestHook: (req) => req.url === '/metrics' || (req.url ?? '').startsWith('/health'),
      }),
      new UndiciInstrumentation(),
      // Statement text only ($1 placeholders), never parameter values: no personal data in spans.
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
      // Command and first key only: script arguments carry whole session records (signed manifest
      // URLs among them), which have no place in a span.
      new IORedisInstrumentation({ dbStatementSerializer: (command, args) => (args.length ? `${command} ${String(args[0])}` : command) }),
    ],
  });
  sdk.start();
  markTracingEnabled(true, shutdownTracing);
  return true;
}

/** Flushes spans still buffered and unregisters the SDK (process stop, end of a test file). */
async function shutdownTracing(): Promise<void> {
  if (!sdk) return;
  const running = sdk;
  sdk = undefined;
  markTracingEnabled(false);
  await running.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}

export { stopTracing } from './spans';
