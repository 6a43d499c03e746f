import type { Logger } from '../log';
import { stopTracing } from '../observability/spans';

/**
 * Stops a process cleanly on SIGINT/SIGTERM: in-flight requests drain and stores close before
 * exit (a container orchestrator's stop, or Ctrl-C). A second signal doesn't start a second stop.
 */
export function stopOnSignals(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handle = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: draining and stopping`);
    stop()
      // Spans still buffered go out before the process ends.
      .then(() => stopTracing())
      .then(() => process.exit(0))
      .catch((err) => {
        log.error('stopping failed', err);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => handle('SIGINT'));
  process.on('SIGTERM', () => handle('SIGTERM'));
}
