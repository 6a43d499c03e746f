import { context, propagation, ROOT_CONTEXT, SpanKind, trace, type Link } from '@opentelemetry/api';
import { eventDeliveries } from '../observability/metrics';
import { tracingEnabled } from '../observability/spans';
import type { EventBus, SubscribeOptions } from './EventBus';
import type { PlaybackEvent } from './PlaybackEvent';

const tracer = trace.getTracer('@streaming/platform');

/**
 * Tracing and counts for any event bus. A published event carries the W3C trace context of the
 * request that caused it (`traceparent` in the event), so the consumer's work shows up in the
 * same trace as, say, the StopPlayback that produced it: a batch of one continues that trace;
 * a larger batch gets its own span with a link to each event's trace.
 */
export function instrumentEventBus(bus: EventBus): EventBus {
  return {
    kind: bus.kind,
    publish(events: PlaybackEvent[]) {
      if (tracingEnabled() && trace.getSpan(context.active())) {
        const carrier: Record<string, string> = {};
        propagation.inject(context.active(), carrier);
        if (carrier.traceparent) events = events.map((event) => ({ ...event, traceparent: carrier.traceparent }));
      }
      return bus.publish(events);
    },
    subscribe(options: SubscribeOptions) {
      const ok = eventDeliveries.labels({ group: options.group, outcome: 'ok' });
      return bus.subscribe({
        ...options,
        handle: async (deliveries) => {
          if (!tracingEnabled()) {
            await options.handle(deliveries);
          } else {
            const contexts = deliveries
              .filter((d) => d.event.traceparent)
              .map((d) => propagation.extract(ROOT_CONTEXT, { traceparent: d.event.traceparent }));
            const parent = deliveries.length === 1 && contexts.length === 1 ? contexts[0] : ROOT_CONTEXT;
            const links: Link[] = deliveries.length === 1 ? [] : contexts.map((c) => ({ context: trace.getSpanContext(c)! })).filter((l) => l.context);
            const span = tracer.startSpan(
              `${options.group} process`,
              { kind: SpanKind.CONSUMER, links, attributes: { 'messaging.system': bus.kind === 'redis' ? 'redis_streams' : 'in_process', 'messaging.consumer.group.name': options.group, 'messaging.batch.message_count': deliveries.length } },
              parent,
            );
            try {
              await context.with(trace.setSpan(parent, span), () => options.handle(deliveries));
            } catch (err) {
              span.recordException(err as Error);
              throw err;
            } finally {
              span.end();
            }
          }
          ok.inc(deliveries.length);
        },
      });
    },
    close: () => bus.close(),
  };
}
