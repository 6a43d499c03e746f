import type { ApolloServerPlugin } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import { countRefusal, ErrorCode, tracingEnabled } from '@streaming/platform/core';
import { BoundedLabel, UNKNOWN } from './labels';
import { FieldUsage } from './fieldUsage';
import { isWarmup } from '../warmup/planWarmup';
import { operationDuration, operationErrors, operationRequests } from './metrics';

const tracer = trace.getTracer('@streaming/gateway');

/**
 * Codes of the edge's limits that refuse an operation before it runs (cost, shape, string
 * lengths); such a response counts once, in `gateway_operations_refused_total{limit=<code>}`,
 * and nowhere else. The rate limit and trusted documents count themselves: they answer before
 * GraphQL.
 */
const REFUSALS = new Set<string>([
  ErrorCode.COST_ESTIMATED_TOO_EXPENSIVE, ErrorCode.MAX_DEPTH_EXCEEDED, ErrorCode.MAX_ALIASES_EXCEEDED,
  ErrorCode.MAX_ROOT_FIELDS_EXCEEDED, ErrorCode.MAX_DIRECTIVES_EXCEEDED, ErrorCode.BAD_USER_INPUT,
]);

export interface OperationTelemetryOptions {
  /** Distinct operation names with their own series; later ones are counted as `other`. @default 200 */
  maxOperationNames: number;
  /** Distinct client names (and, separately, versions) with their own series. @default 50 */
  maxClients: number;
}

/**
 * Per operation and per client (the `apollographql-client-name` / `-version` headers every
 * Apollo client can send): requests, latency, errors by code, fields used; and the same names on
 * the request's trace span. Names and fields count only once the operation starts executing:
 * `didResolveOperation` runs beside the plugins that refuse (cost, string limits), so a name
 * taken there would let refused operations fill the name slots and make fields look used. A
 * request an edge limit refused counts as that refusal only.
 */
export function operationTelemetryPlugin(options: OperationTelemetryOptions): ApolloServerPlugin {
  const operations = new BoundedLabel(options.maxOperationNames);
  const clientNames = new BoundedLabel(options.maxClients);
  const clientVersions = new BoundedLabel(options.maxClients);
  const usage = new FieldUsage();
  return {
    async requestDidStart({ request, contextValue }) {
      // The gateway planning its registered operations before it is ready: no client asked.
      if (isWarmup(contextValue)) return undefined;
      const started = performance.now();
      const headers = request.http?.headers;
      const client_name = clientNames.of(headers?.get('apollographql-client-name'));
      const client_version = clientVersions.of(headers?.get('apollographql-client-version'));
      const span = trace.getActiveSpan();
      span?.setAttributes({ 'graphql.client.name': client_name, 'graphql.client.version': client_version });
      let operation = UNKNOWN;
      let type = UNKNOWN;
      let executed = false;
      return {
        // Apollo Gateway has spans for validation and planning; parsing happens before it.
        async parsingDidStart() {
          if (!tracingEnabled()) return undefined;
          const parsing = tracer.startSpan('graphql.parse');
          return async () => void parsing.end();
        },
        async executionDidStart({ operationName, operation: definition, document, schema }) {
          executed = true;
          operation = operations.of(operationName);
          type = definition?.operation ?? UNKNOWN;
          span?.setAttributes({ 'graphql.operation.name': operation, 'graphql.operation.type': type });
          usage.record(schema, document, client_name);
        },
        async willSendResponse({ response }) {
          // An incremental answer's (`@defer`) are its first payload's: its later parts' are in their own payloads.
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
          const codes = new Set((errors ?? []).map((error) => (typeof error.extensions?.code === 'string' ? error.extensions.code : UNKNOWN)));
          if (codes.size) span?.setAttribute('graphql.error.codes', [...codes]);
          const refusal = executed ? undefined : [...codes].find((code) => REFUSALS.has(code));
          if (refusal) {
            countRefusal(refusal);
            return;
          }
          const labels = { operation, type, client_name, client_version };
          operationRequests.inc(labels);
          operationDuration.observe(labels, (performance.now() - started) / 1000);
          for (const error of errors ?? []) {
            const code = typeof error.extensions?.code === 'string' ? error.extensions.code : UNKNOWN;
            operationErrors.inc({ operation, client_name, client_version, code });
          }
        },
      };
    },
  };
}
