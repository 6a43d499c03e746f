import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Level } from 'pino';

/**
 * Structured JSON logs (pino), one object per line, for the log pipeline; pretty single lines
 * with LOG_FORMAT=pretty (what `npm start` sets when it runs in a terminal). The lines about a
 * request carry its `requestId` (a field its callers pass: errors, failed calls to another
 * service), and every line written under a trace its `traceId` when tracing is on, so the
 * gateway's and every subgraph's lines about one request can be found together.
 * Silent under jest unless LOG_LEVEL asks.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  /** `err` is written in full: type, message, stack and its `cause` chain. */
  error(message: string, err?: unknown, fields?: Record<string, unknown>): void;
}

const LEVELS: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function configuredLevel(): Level | 'silent' {
  const configured = process.env.LOG_LEVEL;
  if (configured && LEVELS.includes(configured)) return configured as Level | 'silent';
  return process.env.JEST_WORKER_ID ? 'silent' : 'info';
}

/** Where lines go; tests swap it (captureLogs) to assert on what was logged. */
let sink: (line: string) => void = (line) => process.stdout.write(line);
const destination: DestinationStream = { write: (line: string) => sink(line) };

function createRoot() {
  const options: pino.LoggerOptions = {
    level: configuredLevel(),
    base: { pid: process.pid },
    messageKey: 'msg',
    serializers: { err: pino.stdSerializers.errWithCause },
    // The request's id is a field its callers pass (observability/requestContext.ts says why it
    // is not read from an async context); the trace's id comes with tracing's own context.
    mixin() {
      const traceId = trace.getActiveSpan()?.spanContext().traceId;
      return traceId ? { traceId } : {};
    },
  };
  if (process.env.LOG_FORMAT === 'pretty') {
    // Synchronous and in-process: no worker thread per process for a development nicety.
    const pretty = require('pino-pretty') as (o: object) => DestinationStream;
    return pino(options, pretty({ sync: true, ignore: 'pid,hostname,component', messageFormat: '[{component}] {msg}', hideObject: false }));
  }
  return pino(options, destination);
}

const root = createRoot();

export function createLogger(component: string): Logger {
  return {
    debug: (msg, fields) => root.debug({ component, ...fields }, msg),
    info: (msg, fields) => root.info({ component, ...fields }, msg),
    warn: (msg, fields) => root.warn({ component, ...fields }, msg),
    error: (msg, err, fields) => {
      if (err === undefined) root.error({ component, ...fields }, msg);
      // A thrown non-Error has no stack to give; a made-up Error would point at this line.
      else root.error({ component, ...fields, err: err instanceof Error ? err : { message: String(err) } }, msg);
    },
  };
}

/**
 * For tests: sends every line to `lines` at `level` until `restore()` is called. Loggers are
 * created at import time, so the sink and level are swapped on the one root they all write to.
 */
export function captureLogs(level: Level = 'debug'): { lines: string[]; entries(): Array<Record<string, any>>; restore(): void } {
  const lines: string[] = [];
  const previousSink = sink;
  const previousLevel = root.level;
  sink = (line) => void lines.push(line);
  root.level = level;
  return {
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, any>),
    restore() {
      sink = previousSink;
      root.level = previousLevel;
    },
  };
}
