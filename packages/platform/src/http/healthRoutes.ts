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

export interface HealthOptions {
  /** A check that hasn't answered by then fails with "no answer within ...". @default 1000 */
  timeoutMs?: number;
  /**
   * How long one run of the checks answers every probe: probes arriving meanwhile, or while it
   * runs, share it. A load balancer probing every replica often, times several balancers, then
   * costs one check per window, not one per probe. @default 0 (every probe runs them)
   */
  cacheMs?: number;
  /**
   * Dependencies reported in the body under `key` ("ready" or why not) that never gate
   * readiness: the gateway's subgraphs, whose outage must not take it out of the load balancer.
   */
  reported?: { key: string; checks: Record<string, ReadinessCheck> };
  /** The clock the cache window is measured on (tests). */
  now?: () => number;
}

interface Evaluation {
  failing: Record<string, string>;
  reported: Record<string, string>;
}

/**
 * Liveness and readiness for orchestrators and `npm start`, on the server's own port and in front
 * of the GraphQL endpoint (no body parsing, no CSRF check, no limits stand in a probe's way).
 *
 * - live: the process answers HTTP. Nothing else: a process restarted for a dependency's outage
 *   would only add a cold start to the outage.
 * - ready: every check passes within `timeoutMs`, and the server isn't draining. The body names
 *   what isn't ready, so a 503 can be read without the logs; reported dependencies are listed
 *   whatever their state.
 */
export function createHealth(checks: Record<string, ReadinessCheck>, options: HealthOptions = {}): Health {
  const { timeoutMs = 1_000, cacheMs = 0, reported, now = Date.now } = options;
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
  const runAll = async (named: Record<string, ReadinessCheck>): Promise<Array<[string, string]>> => {
    const names = Object.keys(named);
    const results = await Promise.all(names.map((name) => run(named[name])));
    return names.map((name, i) => [name, results[i]]);
  };
  const evaluate = async (): Promise<Evaluation> => {
    const [gating, others] = await Promise.all([runAll(checks), runAll(reported?.checks ?? {})]);
    return {
      failing: Object.fromEntries(gating.filter(([, result]) => result !== 'ok')),
      reported: Object.fromEntries(others.map(([name, result]) => [name, result === 'ok' ? 'ready' : result])),
    };
  };
  let shared: { evaluation: Promise<Evaluation>; until: number } | undefined;
  const current = (): Promise<Evaluation> => {
    if (shared && now() < shared.until) return shared.evaluation;
    const entry = { evaluation: evaluate(), until: Number.POSITIVE_INFINITY };
    shared = entry;
    // The window starts when the answer is known: probes during a slow check share it too.
    void entry.evaluation.then(() => {
      entry.until = now() + cacheMs;
    });
    return entry.evaluation;
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
    const { failing, reported: states } = await current();
    const dependencies = reported ? { [reported.key]: states } : {};
    if (Object.keys(failing).length === 0) res.json({ status: 'ready', ...dependencies });
    else res.status(503).json({ status: 'not ready', failing, ...dependencies });
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
