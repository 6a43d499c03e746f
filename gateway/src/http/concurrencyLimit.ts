import { performance, PerformanceObserver, type EventLoopUtilization } from 'node:perf_hooks';
import type { RequestHandler } from 'express';

export interface ConcurrencyLimitConfig {
  /** Requests executing at once when the process starts, before anything is measured. */
  initial: number;
  /** The fewest it holds to, however busy the event loop. */
  min: number;
  /** The most it allows. */
  max: number;
  /** Event-loop utilisation (0-1) at or above which the process counts as saturated. */
  targetUtilization: number;
  /** Share of the time (0-1) spent collecting garbage at or above which a saturated process gives up slots. */
  targetGcShare: number;
  /** How often the limit is adjusted, ms. */
  windowMs: number;
  /** A request holding its slot longer than this gives it up (it goes on, uncounted), ms. */
  maxHoldMs: number;
}

/**
 * Adaptive from 16, between 8 and 1024. 15% of the time in garbage collection sits between what
 * the bench measured for work whose garbage dies young (ProfilePicker at 50 connections, 14%) and
 * for work whose garbage is promoted (a home screen at 50 connections, 22%; 12% at 8 in flight);
 * with fewer than 8 in flight the gateway lost throughput (bench/README.md, items 17 and 18).
 */
export const DEFAULT_CONCURRENCY_LIMIT: ConcurrencyLimitConfig = {
  initial: 16,
  min: 8,
  max: 1024,
  targetUtilization: 0.95,
  targetGcShare: 0.15,
  windowMs: 100,
  maxHoldMs: 1_000,
};

/** A limit that never moves: `n` at once, whatever the event loop does. */
export function fixedConcurrencyLimit(n: number): ConcurrencyLimitConfig {
  return { ...DEFAULT_CONCURRENCY_LIMIT, initial: n, min: n, max: n };
}

/**
 * The limit's arithmetic, apart from HTTP and clocks so that it can be tested alone. Each window
 * it is told how busy the event loop was, what share of the time went to garbage collection and
 * whether requests had to wait:
 * - saturated and collecting garbage (both at or above their targets): one slot fewer;
 * - saturated with little garbage while requests wait: one slot more, probing, since more
 *   requests in flight share each turn of the event loop at no cost in promoted garbage;
 * - not saturated while requests wait (the process waits on its subgraphs): a quarter more.
 * It never grows while nothing waited, so an idle gateway's limit stays where it was.
 */
export class AdaptiveLimit {
  limit: number;

  constructor(private readonly config: ConcurrencyLimitConfig) {
    this.limit = Math.min(config.max, Math.max(config.min, config.initial));
  }

  adjust(utilization: number, gcShare: number, waited: boolean): number {
    const saturated = utilization >= this.config.targetUtilization;
    if (saturated && gcShare >= this.config.targetGcShare) this.limit = Math.max(this.config.min, this.limit - 1);
    else if (!waited) return this.limit;
    else if (saturated) this.limit = Math.min(this.config.max, this.limit + 1);
    else this.limit = Math.min(this.config.max, Math.ceil(this.limit * 1.25));
    return this.limit;
  }
}

export interface ConcurrencyState {
  limit: number;
  executing: number;
  queued: number;
}

export type ConcurrencyLimiter = RequestHandler & {
  state(): ConcurrencyState;
  /** Stops adjusting (the gateway's stop); queued requests are still let in as slots free. */
  close(): void;
};

/**
 * How many GraphQL requests execute at once in this process, found by watching the event loop and
 * the garbage collector.
 *
 * Why: a saturated gateway that starts every request it is sent spreads its one CPU over all of
 * them, so each request's data waits behind every other's between its steps, survives the young
 * generation's collections and is promoted: at 50 connections most of what a home screen allocates
 * reached old space, garbage collection took a quarter of the CPU and memory peaked above stock's
 * (bench/README.md, item 17). Holding the others at the door, before their bodies are read, lets
 * the admitted ones finish while their garbage is still young.
 *
 * Why adaptive, and on these two signals: a fixed limit that suits a gateway whose CPU is the
 * bottleneck starves one that waits on its subgraphs (4 slots: +24% gateway-only, -29% full stack,
 * item 17), and a limit that shrinks whenever the event loop is saturated costs small operations,
 * whose garbage dies young anyway, the sharing of each event-loop turn between many requests
 * (ProfilePicker -14%, item 18). So the limit shrinks only while the loop is saturated and garbage
 * collection takes a large share of it, and grows while requests queue and there is room.
 * Latency-based limiters (Netflix's concurrency-limits: Vegas, Gradient2) compare round trips
 * against a baseline, which a mix of one-fetch profile pickers and twenty-fetch home screens has no
 * single value for; event-loop utilisation and the garbage collector's share are the same measures
 * whatever the operations.
 *
 * A request that holds its slot past `maxHoldMs` (a slow subgraph, a long deferred answer) gives
 * it up and goes on uncounted, so slow requests can't starve the rest. Queued requests whose client
 * goes away leave the queue. Nothing is refused here: queued requests wait, first in first out, and
 * the rate limit and the request deadline (after the door) bound what a flood costs.
 */
export function concurrencyLimit(config: ConcurrencyLimitConfig = DEFAULT_CONCURRENCY_LIMIT): ConcurrencyLimiter {
  const adaptive = new AdaptiveLimit(config);
  const queue: Array<() => void> = [];
  let executing = 0;
  let waited = false;
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  let gcMs = 0;
  let gcShare = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const window = performance.eventLoopUtilization(now, last);
    last = now;
    // One mark-compact can fill a window on its own: smoothed over about a second.
    gcShare += (Math.min(1, gcMs / config.windowMs) - gcShare) * 0.2;
    gcMs = 0;
    adaptive.adjust(window.utilization, gcShare, waited || queue.length > 0);
    waited = false;
    drain();
  }, config.windowMs);
  timer.unref();

  function drain(): void {
    while (executing < adaptive.limit && queue.length > 0) queue.shift()!();
  }

  const handler: RequestHandler = (_req, res, next) => {
    const start = () => {
      executing += 1;
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        clearTimeout(hold);
        executing -= 1;
        drain();
      };
      const hold = setTimeout(release, config.maxHoldMs);
      hold.unref();
      res.once('close', release);
      next();
    };
    if (executing < adaptive.limit && queue.length === 0) return start();
    waited = true;
    queue.push(start);
    // A client that leaves while queued frees its place.
    res.once('close', () => {
      const at = queue.indexOf(start);
      if (at >= 0) queue.splice(at, 1);
    });
  };
  return Object.assign(handler, {
    state: (): ConcurrencyState => ({ limit: adaptive.limit, executing, queued: queue.length }),
    close: () => {
      clearInterval(timer);
      gc.disconnect();
    },
  });
}
