/**
 * The first import of every process entry point (`import '@streaming/platform/dist/observability/register'`):
 * tracing has to start before http, undici, pg and ioredis are loaded, so it can't wait for the
 * shared index, which loads them. The service is named after the package the entry point is in
 * (`subgraphs/catalog/dist/index.js` is `catalog`) unless OTEL_SERVICE_NAME says otherwise.
 */
import path from 'node:path';
import { startTracing } from './tracing';

const entry = require.main?.filename;
startTracing(entry ? path.basename(path.resolve(path.dirname(entry), '..')) : 'streaming');
