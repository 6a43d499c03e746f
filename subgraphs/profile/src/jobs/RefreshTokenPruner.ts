import { createLogger } from '@streaming/platform';
import type { RefreshTokenRepository } from '../repositories/RefreshTokenRepository';

const log = createLogger('profile');

/** Batches of one kind a run deletes at most, so a run stays short however far behind it is. */
const MAX_BATCHES_PER_RUN = 10;

/**
 * Deletes what no refresh can use any more: sign-ins that were revoked or whose newest token
 * expired (with their tokens), and expired tokens of live sign-ins (each rotation leaves one:
 * a signed-in device adds about 100 rows a day). Runs in the subgraph every `intervalMs`, in
 * batches of `batch` rows per statement, at most MAX_BATCHES_PER_RUN each; several instances
 * may run it at once (each skips the rows another is deleting).
 */
export class RefreshTokenPruner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly tokens: RefreshTokenRepository,
    private readonly options: { intervalMs: number; batch: number },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.runOnce(), this.options.intervalMs).unref();
  }

  /** One run; a run still going when the next is due is not doubled. */
  runOnce(): Promise<void> {
    this.running ??= this.prune().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async prune(): Promise<void> {
    try {
      let signIns = 0;
      let tokens = 0;
      for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
        const deleted = await this.tokens.prune(new Date(), this.options.batch);
        signIns += deleted.signIns;
        tokens += deleted.tokens;
        if (deleted.signIns < this.options.batch && deleted.tokens < this.options.batch) break;
      }
      if (signIns + tokens > 0) log.debug(`pruned ${signIns} ended sign-ins and ${tokens} expired refresh tokens`);
    } catch (err) {
      // The next run tries again; a store outage is reported by the requests that need it.
      log.warn(`refresh token pruning failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
