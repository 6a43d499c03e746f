/** Thrown by BoundedConcurrency.run when a task would have to wait past the line's bounds. */
export class NoSlotAvailable extends Error {
  constructor() {
    super('every slot is busy and the line is full');
  }
}

export interface ConcurrencyBounds {
  /** Tasks running at once. */
  concurrency: number;
  /** Tasks waiting for a slot, at most. */
  maxQueued: number;
  /** A task that would likely wait longer than this for a slot is refused instead. @default Infinity */
  maxWaitMs?: number;
  /** Milliseconds, for measuring tasks (tests pass their own clock). @default performance.now */
  now?: () => number;
}

/**
 * At most `concurrency` tasks at once, first come first served, and a short line: at most
 * `maxQueued` waiting, and none that would likely wait longer than `maxWaitMs` (estimated from
 * how long tasks have lately taken). Past that, `run` refuses at once.
 *
 * Password hashing runs through one: each scrypt holds 32 MiB and a core for tens of
 * milliseconds (seconds, on a loaded machine) on libuv's four threads, which the rest of the
 * process (DNS, file reads, other crypto) shares. A flood then waits briefly or is turned away,
 * rather than queueing without bound, starving every other request, and answering so late that
 * the caller (the gateway's 3 s fetch timeout) has given up anyway.
 */
export class BoundedConcurrency {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Moving average of task durations (ms); 0 until one has finished. */
  private averageMs = 0;
  private readonly maxWaitMs: number;
  private readonly now: () => number;

  constructor(private readonly bounds: ConcurrencyBounds) {
    this.maxWaitMs = bounds.maxWaitMs ?? Infinity;
    this.now = bounds.now ?? (() => performance.now());
  }

  /** Tasks running now and waiting for a slot. */
  get load(): { running: number; queued: number } {
    return { running: this.running, queued: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.bounds.concurrency) this.running += 1;
    else if (this.waiting.length < this.bounds.maxQueued && this.expectedWaitMs() <= this.maxWaitMs) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else throw new NoSlotAvailable();
    const started = this.now();
    try {
      return await task();
    } finally {
      const took = this.now() - started;
      this.averageMs = this.averageMs === 0 ? took : 0.8 * this.averageMs + 0.2 * took;
      // A finished task hands its slot straight to the next in line, so `running` never dips
      // while someone waits and a newcomer can't jump the line.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  /** With every slot busy: a newcomer starts once the tasks ahead of it, and one running task, are done. */
  private expectedWaitMs(): number {
    return (Math.floor(this.waiting.length / this.bounds.concurrency) + 1) * this.averageMs;
  }
}
