import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from '@streaming/platform/core';
import type { ConcurrencyState } from '../http/concurrencyLimit';

/** The gateway's series, in the process registry every server here serves at /metrics. */
const registers = [metricsRegistry];

export const operationRequests = new Counter({
  name: 'gateway_operations_total',
  help: 'GraphQL operations served, by operation name and type, client name and version.',
  labelNames: ['operation', 'type', 'client_name', 'client_version'],
  registers,
});

export const operationDuration = new Histogram({
  name: 'gateway_operation_duration_seconds',
  help: 'Time from receiving an operation to sending its response.',
  labelNames: ['operation', 'type', 'client_name', 'client_version'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

export const operationErrors = new Counter({
  name: 'gateway_operation_errors_total',
  help: 'Errors in responses, by operation, client and error code (one per error).',
  labelNames: ['operation', 'client_name', 'client_version', 'code'],
  registers,
});

export const subgraphFetchDuration = new Histogram({
  name: 'gateway_subgraph_fetch_duration_seconds',
  help: 'Subgraph fetches the gateway made, and how long each took.',
  labelNames: ['subgraph'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers,
});

export const subgraphFetchErrors = new Counter({
  name: 'gateway_subgraph_fetch_errors_total',
  help: 'Subgraph fetches that failed (no answer) or answered with errors, by subgraph and code.',
  labelNames: ['subgraph', 'code'],
  registers,
});

export const entityCacheLookups = new Counter({
  name: 'gateway_entity_cache_lookups_total',
  help: 'Entities the gateway looked up in its entity cache, by subgraph and result (hit or miss).',
  labelNames: ['subgraph', 'result'],
  registers,
});

/** What runs before either field-usage metric is read: counts kept outside prom-client (fieldUsage.ts) are handed over. */
const scrapeHooks = new Set<() => void>();

export function beforeScrape(hook: () => void): void {
  scrapeHooks.add(hook);
}

function runScrapeHooks(): void {
  for (const hook of scrapeHooks) hook();
}

export const fieldUsage = new Counter({
  name: 'graphql_field_usage_total',
  help: 'Operations that selected each schema field, by client: a field no client uses can go.',
  labelNames: ['type', 'field', 'client_name'],
  registers,
  collect: runScrapeHooks,
});

export const fieldLastUsed = new Gauge({
  name: 'graphql_field_last_used_timestamp_seconds',
  help: 'When a client last selected each schema field (Unix time).',
  labelNames: ['type', 'field', 'client_name'],
  registers,
  collect: runScrapeHooks,
});

export const executorFallbacks = new Counter({
  name: 'gateway_executor_fallbacks_total',
  help: "Requests our plan executor left to stock's executeQueryPlan, by reason (a Defer node, schema introspection, ...).",
  labelNames: ['reason'],
  registers,
});

/** The gateway's admission limiters in this process (one, but for tests that build several), read at scrape time. */
const limiters = new Set<() => ConcurrencyState>();

/** Reports a limiter's state in the two gauges below until the returned function is called. */
export function reportConcurrency(state: () => ConcurrencyState): () => void {
  limiters.add(state);
  return () => limiters.delete(state);
}

const sumOf = (key: keyof ConcurrencyState) => [...limiters].reduce((sum, state) => sum + state()[key], 0);

export const concurrencyLimitGauge = new Gauge({
  name: 'gateway_concurrency_limit',
  help: 'GraphQL requests this process lets execute at once (GATEWAY_CONCURRENCY; 0 when off); the rest wait at the door.',
  registers,
  collect() {
    this.set(sumOf('limit'));
  },
});

export const requestsQueuedGauge = new Gauge({
  name: 'gateway_requests_queued',
  help: 'GraphQL requests waiting at the door for a slot under gateway_concurrency_limit.',
  registers,
  collect() {
    this.set(sumOf('queued'));
  },
});
