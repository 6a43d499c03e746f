import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus registry, served at `/metrics` by the gateway and every subgraph.
 * One per process: in the embedded mode the four subgraphs share a process, so subgraph series
 * carry a `subgraph` (or `loader`) label rather than living in four registries.
 *
 * Labels stay bounded: names from the code or the schema, never ids or client-sent text (the
 * gateway caps operation and client names itself; see gateway/src/telemetry/labels.ts).
 */
export const metricsRegistry = new Registry();

let defaultsStarted = false;

/** `GET /metrics` in the Prometheus text format, with the default process metrics. */
export function metricsRoute(): RequestHandler {
  if (!defaultsStarted) {
    defaultsStarted = true;
    collectDefaultMetrics({ register: metricsRegistry });
  }
  return (req, res, next) => {
    if (req.path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    metricsRegistry
      .metrics()
      .then((text) => res.type(metricsRegistry.contentType).send(text))
      .catch(next);
  };
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const sqlStatementDuration = new Histogram({
  name: 'subgraph_sql_statement_duration_seconds',
  help: 'SQL statements each subgraph sent to its store, and how long they took (the _count is the statement count).',
  labelNames: ['subgraph'],
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const loaderBatchSize = new Histogram({
  name: 'subgraph_dataloader_batch_size',
  help: 'Keys per DataLoader batch of the cached loaders, by loader (its cache namespace).',
  labelNames: ['loader'],
  buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
  registers: [metricsRegistry],
});

export const cacheLookups = new Counter({
  name: 'subgraph_cache_lookups_total',
  help: 'Shared cache lookups by loader and result (hit or miss).',
  labelNames: ['loader', 'result'],
  registers: [metricsRegistry],
});

export const cacheErrors = new Counter({
  name: 'subgraph_cache_errors_total',
  help: 'Redis cache commands that failed (the request was served from the store).',
  labelNames: ['component'],
  registers: [metricsRegistry],
});

export const redisUp = new Gauge({
  name: 'redis_up',
  help: '1 while the Redis cache connection is usable, 0 during an outage.',
  labelNames: ['component'],
  registers: [metricsRegistry],
});

export const resolverDuration = new Histogram({
  name: 'subgraph_resolver_duration_seconds',
  help: 'Time in the root resolvers (Query, Mutation and _entities fields) of each subgraph.',
  labelNames: ['subgraph', 'field'],
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const operationsRefused = new Counter({
  name: 'gateway_operations_refused_total',
  help: 'Operations the gateway refused before executing them, by the limit that refused them.',
  labelNames: ['limit'],
  registers: [metricsRegistry],
});

/**
 * For the edge's limits (depth, cost, rate, body size...): one call where an operation is
 * refused. `limit` is the limit's fixed name, never a client value.
 */
export function countRefusal(limit: string): void {
  operationsRefused.inc({ limit });
}

export const internalCredentialsRefused = new Counter({
  name: 'subgraph_internal_credential_refused_total',
  help: 'Calls a subgraph refused before any resolver ran, for a missing or invalid internal credential, by reason.',
  labelNames: ['subgraph', 'reason'],
  registers: [metricsRegistry],
});

export const playbackActiveSessions = new Gauge({
  name: 'playback_active_sessions',
  help: 'Playback sessions started and not yet stopped or expired, as this process last counted them.',
  registers: [metricsRegistry],
});

export const playbackStarts = new Counter({
  name: 'playback_starts_total',
  help: 'Playback starts, by outcome: started, or refused by the concurrent stream limit.',
  labelNames: ['outcome'],
  registers: [metricsRegistry],
});

export const playbackHeartbeats = new Counter({
  name: 'playback_heartbeats_total',
  help: 'Playback heartbeats received.',
  registers: [metricsRegistry],
});

export const playbackAuthorizations = new Counter({
  name: 'playback_authorizations_total',
  help: 'Playback authorization checks (POST /playback/authorize), by decision (allow, deny, unavailable) and reason.',
  labelNames: ['decision', 'reason'],
  registers: [metricsRegistry],
});

export const progressFlushLag = new Histogram({
  name: 'playback_progress_flush_lag_seconds',
  help: 'Age of the oldest unflushed progress when a flush wrote it (how far the stored progress trails playback).',
  buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  registers: [metricsRegistry],
});

export const eventDeliveries = new Counter({
  name: 'events_handled_total',
  help: 'Playback events handled by a consumer group, by outcome: ok, retried, dead_lettered, dropped (in-process bus: trimmed unhandled past its bound).',
  labelNames: ['group', 'outcome'],
  registers: [metricsRegistry],
});

type StreamProbe = () => Promise<{ length: number; pending: number; lagSeconds: number }>;
const streamProbes = new Map<string, Set<StreamProbe>>();
let probing: Promise<void> | undefined;

/**
 * Registers a consumer group's probe (one Redis round trip or so) for the event gauges; it runs
 * once per scrape, not on a timer. Returns the unregistering function.
 */
export function watchEventStream(group: string, probe: StreamProbe): () => void {
  let probes = streamProbes.get(group);
  if (!probes) streamProbes.set(group, (probes = new Set()));
  probes.add(probe);
  return () => void probes.delete(probe);
}

/** One probe round per scrape, shared by the three gauges it fills. */
function probeStreams(): Promise<void> {
  probing ??= (async () => {
    for (const [group, probes] of streamProbes) {
      const [probe] = probes;
      if (!probe) continue;
      const found = await probe().catch(() => undefined);
      if (!found) continue;
      eventStreamLength.set(found.length);
      eventPending.set({ group }, found.pending);
      eventLag.set({ group }, found.lagSeconds);
    }
  })().finally(() => setImmediate(() => (probing = undefined)));
  return probing;
}

export const eventStreamLength = new Gauge({
  name: 'events_stream_length',
  help: 'Entries in the playback event stream.',
  registers: [metricsRegistry],
  collect: probeStreams,
});

export const eventPending = new Gauge({
  name: 'events_pending',
  help: 'Delivered but unacknowledged entries per consumer group.',
  labelNames: ['group'],
  registers: [metricsRegistry],
  collect: probeStreams,
});

export const eventLag = new Gauge({
  name: 'events_consumer_lag_seconds',
  help: 'Age of the oldest event a consumer group has not yet read or acknowledged.',
  labelNames: ['group'],
  registers: [metricsRegistry],
  collect: probeStreams,
});
