import cluster, { type Worker } from 'node:cluster';
import { stopOnSignals, type Logger } from '@streaming/platform/core';

/**
 * The gateway on every core: a primary that only supervises, and `workers` processes that each
 * run the whole gateway on the shared port (node:cluster; the primary hands out connections
 * round-robin). What is shared between workers goes through Redis; what stays per worker is
 * listed in the README ("All cores").
 *
 * The same rules as `npm start`, one level down:
 * - "ready at" is logged once every worker has said it serves (a request would succeed);
 * - a worker that exits before the pool was ever up is a configuration problem: every worker is
 *   stopped and the primary exits 1 (forking again would only repeat the error);
 * - a worker that exits once the pool was up is forked again after a pause that grows (1 s
 *   doubling to 30 s, back to 1 s once a worker stayed up a minute); the others keep serving;
 * - SIGTERM (or SIGINT) to the primary is passed to every worker, each drains as a single process
 *   does (readiness 503 `draining`, SHUTDOWN_DELAY_MS, in-flight requests finish), and the primary
 *   exits once they all have: 0 if every worker stopped cleanly, 1 otherwise.
 */
export interface WorkerPoolOptions {
  workers: number;
  /** After SIGTERM, how long a worker may take to drain before it is killed. */
  stopTimeoutMs: number;
  log: Logger;
}

const READY_MESSAGE = 'gateway:worker-ready';
const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
const STABLE_MS = 60_000;

/** In a worker: tells the primary this worker serves. Does nothing outside a cluster. */
export function reportWorkerReady(url: string): void {
  if (cluster.isWorker) process.send?.({ type: READY_MESSAGE, url });
}

export function runWorkers({ workers, stopTimeoutMs, log }: WorkerPoolOptions): void {
  const running = new Map<number, Worker>(); // slot -> worker
  const ready = new Set<number>(); // slots whose current worker serves
  const backoffMs = new Map<number, number>();
  let poolUp = false;
  let stopping = false;
  let failedExits = 0;

  const fork = (slot: number) => {
    const worker = cluster.fork();
    const startedAt = Date.now();
    running.set(slot, worker);
    worker.on('message', (message: { type?: string; url?: string }) => {
      if (message?.type !== READY_MESSAGE) return;
      ready.add(slot);
      if (!poolUp && ready.size === workers) {
        poolUp = true;
        log.info(`ready at ${message.url} (${workers} workers)`);
      }
    });
    worker.on('exit', (code, signal) => {
      ready.delete(slot);
      running.delete(slot);
      const how = signal ?? `code ${code}`;
      if (stopping) {
        if (code !== 0) failedExits += 1;
        return;
      }
      if (!poolUp) {
        log.error(`worker ${worker.id} (pid ${worker.process.pid}) exited (${how}) before the gateway was up; stopping the others`);
        void stopAll().finally(() => process.exit(1));
        return;
      }
      if (Date.now() - startedAt > STABLE_MS) backoffMs.set(slot, MIN_BACKOFF_MS);
      const pause = backoffMs.get(slot) ?? MIN_BACKOFF_MS;
      log.error(`worker ${worker.id} (pid ${worker.process.pid}) exited (${how}); forking another in ${pause / 1000} s, the others keep serving`);
      backoffMs.set(slot, Math.min(MAX_BACKOFF_MS, pause * 2));
      setTimeout(() => !stopping && fork(slot), pause).unref();
    });
  };

  const stopAll = async () => {
    stopping = true;
    const exits = [...running.values()].map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          const kill = setTimeout(() => {
            log.error(`worker ${worker.id} (pid ${worker.process.pid}) still draining after ${stopTimeoutMs} ms; killing it`);
            worker.process.kill('SIGKILL');
          }, stopTimeoutMs);
          worker.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          // Not worker.disconnect(): that closes the listener at once, without the drain.
          worker.process.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
  };

  for (let slot = 0; slot < workers; slot += 1) fork(slot);
  stopOnSignals(log, async () => {
    await stopAll();
    if (failedExits > 0) throw new Error(`${failedExits} worker(s) did not stop cleanly`);
  });
}
