import type { ApolloServerPlugin } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import { countRefusal, ErrorCode, tracingEnabled } from '@streaming/platform';
import { BoundedLabel, UNKNOWN } from './labels';
import { FieldUsage } from './fieldUsage';
import { operationDuration, operationErrors, operationRequests } from './metrics';

const tracer = trace.getTracer('@streaming/gateway');

/**
 * Codes of the edge's limits that refuse an operation before it runs; each such response counts
 * in `gateway_operations_refused_total{limit=<code>}` (the rate limit counts itself: it answers
 * before GraphQL).
 */
const REFUSALS = new Set<string>([
  ErrorCode.COST_ESTIMATED_TOO_EXPENSIVE, ErrorCode.MAX_DEPTH_EXCEEDED, ErrorCode.MAX_ALIASES_EXCEEDED,
  ErrorCode.MAX_ROOT_FIELDS_EXCEEDED, ErrorCode.MAX_DIRECTIVES_EXCEEDED, ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
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
 * the request's trace span. Names count only once the document is valid, so a client can't
 * mint series with operations that never ran.
 */
export function operationTelemetryPlugin(options: OperationTelemetryOptions): ApolloServerPlugin {
  const operations = new BoundedLabel(options.maxOperationNames);
  const clientNames = new BoundedLabel(options.maxClients);
  const clientVersions = new BoundedLabel(options.maxClients);
  const usage = new FieldUsage();
  return {
    async requestDidStart({ request }) {
      const started = performance.now();
      const headers = request.http?.headers;
      const client_name = clientNames.of(headers?.get('apollographql-client-name'));
      const client_version = clientVersions.of(headers?.get('apollographql-client-version'));
      const span = trace.getActiveSpan();
      span?.setAttributes({ 'graphql.client.name': client_name, 'graphql.client.version': client_version });
      let operation = UNKNOWN;
      let type = UNKNOWN;
      return {
        // Apollo Gateway has spans for validation and planning; parsing happens before it.
        async parsingDidStart() {
          if (!tracingEnabled()) return undefined;
          const parsing = tracer.startSpan('graphql.parse');
          return async () => void parsing.end();
        },
        async didResolveOperation({ operationName, operation: definition, document, schema }) {
          operation = operations.of(operationName);
          type = definition?.operation ?? UNKNOWN;
          span?.setAttributes({ 'graphql.operation.name': operation, 'graphql.operation.type': type });
          usage.record(schema, document, client_name);
        },
        async willSendResponse({ response }) {
          const labels = { operation, type, client_name, client_version };
          operationRequests.inc(labels);
          operationDuration.observe(labels, (performance.now() - started) / 1000);
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (!errors?.length) return;
          const codes = new Set<string>();
          for (const error of errors) {
            const code = typeof error.extensions?.code === 'string' ? error.extensions.code : UNKNOWN;
            codes.add(code);
            operationErrors.inc({ operation, client_name, client_version, code });
            if (REFUSALS.has(code)) countRefusal(code);
          }
          span?.setAttribute('graphql.error.codes', [...codes]);
        },
      };
    },
  };
}
