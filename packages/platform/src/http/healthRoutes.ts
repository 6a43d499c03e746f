import { Router, type RequestHandler } from 'express';

/** Resolves when a dependency is ready; rejects (or resolves a reason) when it is not. */
export type ReadinessCheck = () => Promise<string | undefined | void>;

export interface Health {
  /** `GET /health/live` and `GET /health/ready`, for createHttpApp's `routes`. */
  routes: RequestHandler;
  /** From now on readiness answers 503 "draining": the first step of a graceful stop. */
  markDraining(): void;
  readonly draining: boolean;
}

/**
 * Liveness and readiness for orchestrators and `npm start`, on the server's own port and in front
 * of the GraphQL endpoint (no body parsing, no CSRF check, no limits stand in a probe's way).
 *
 * - live: the process answers HTTP. Nothing else: a process restarted for a dependency's outage
 *   would only add a cold start to the outage.
 * - ready: every check passes within `timeoutMs`, and the server isn't draining. The body names
 *   what isn't ready, so a 503 can be read without the logs.
 */
export function createHealth(checks: Record<string, ReadinessCheck>, { timeoutMs = 1_000 } = {}): Health {
  let draining = false;
  const run = async (check: ReadinessCheck): Promise<string> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
    });
    try {
      return await Promise.race([check().then((reason) => reason || 'ok', (err: Error) => err?.message || 'failed'), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.set('cache-control', 'no-store').json({ status: 'live' });
  });
  router.get('/health/ready', async (_req, res) => {
    res.set('cache-control', 'no-store');
    if (draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => run(checks[name])));
    const failing = Object.fromEntries(names.map((name, i) => [name, results[i]]).filter(([, result]) => result !== 'ok'));
    if (Object.keys(failing).length === 0) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'not ready', failing });
  });
  return {
    routes: router,
    markDraining: () => {
      draining = true;
    },
    get draining() {
      return draining;
    },
  };
}
