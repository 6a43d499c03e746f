import { ErrorCode, metricsRoute } from '@streaming/platform/core';
import express, { type Express } from 'express';

/**
 * The gateway's admin listener: `GET /metrics` and nothing else, on a port of its own
 * (METRICS_PORT, loopback unless METRICS_HOST says otherwise) that is never published. On the
 * public port a scrape would sit ahead of the rate limiter, cost a registry walk per request
 * from anyone, and hand out the field-usage series, which list the schema field by field.
 */
export function createMetricsApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(metricsRoute());
  app.use((_req, res) => {
    res.status(404).json({ errors: [{ message: 'Not found: this listener serves GET /metrics only', extensions: { code: ErrorCode.NOT_FOUND } }] });
  });
  return app;
}
