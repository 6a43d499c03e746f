/**
 * One line per event, prefixed with the process's component, so that the five processes
 * `npm start` runs stay readable in one terminal. Quiet under jest unless LOG_LEVEL asks.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const configured = process.env.LOG_LEVEL as Level | undefined;
  if (configured && configured in ORDER) return ORDER[configured];
  return process.env.JEST_WORKER_ID ? ORDER.error + 1 : ORDER.info;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

export function createLogger(component: string): Logger {
  const write = (level: Level, message: string, err?: unknown) => {
    if (ORDER[level] < threshold()) return;
    const detail = err instanceof Error ? `: ${err.message}` : err ? `: ${String(err)}` : '';
    const line = `[${component}] ${message}${detail}`;
    if (level === 'error' || level === 'warn') console.error(line);
    else console.log(line);
  };
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m, e) => write('error', m, e),
  };
}
