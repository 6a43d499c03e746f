import type { Delivery } from '@streaming/platform';
import type { RankingPoolCache } from '../caches/RankingPoolCache';
import type { ReadModelRepository } from '../repositories/ReadModelRepository';

/**
 * The consumer side of the playback event stream: applies each batch to the read model (once,
 * however often it is delivered) and, when new views arrived, lets the shared rows re-rank.
 */
export class PlaybackEventHandler {
  constructor(
    private readonly readModel: ReadModelRepository,
    private readonly pool: RankingPoolCache,
    /** At most this often new views re-rank the shared rows. */
    private readonly poolRefreshMs: number,
  ) {}

  async handle(deliveries: Delivery[]): Promise<void> {
    const applied = await this.readModel.applyOnce(deliveries.map((d) => d.event));
    if (applied.some((e) => e.type === 'PlaybackStarted')) this.pool.invalidate(this.poolRefreshMs);
  }

  /** Forgets applied event ids once they can no longer be redelivered. */
  async prune(dedupWindowMs: number): Promise<void> {
    await this.readModel.pruneProcessedEvents(dedupWindowMs);
  }
}
