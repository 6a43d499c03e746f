import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

const tracer = trace.getTracer('@streaming/platform');

let enabled = false;
let flush: (() => Promise<void>) | undefined;

/**
 * Set by startTracing: with no SDK running, the span helpers below do nothing at all. Kept apart
 * from tracing.ts so that code which only makes spans never loads the SDK.
 */
export function markTracingEnabled(on: boolean, stop?: () => Promise<void>): void {
  enabled = on;
  flush = on ? stop : undefined;
}

/** Sends spans still buffered and stops tracing (process stop); nothing when tracing is off. */
export async function stopTracing(): Promise<void> {
  await flush?.();
}

export function tracingEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` inside a span (a child of the active one), ending it when the promise settles and
 * recording a failure. Attributes must never hold personal data: counts, names from the code.
 */
export function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!enabled) return fn(undefined);
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}
