import type { PlaybackEvent } from '@streaming/platform';
import type { RecommendationPrisma } from '../prisma';
import { TRENDING_TAU_SECONDS } from '../ranking/pool';

/**
 * Writes playback events into the recommendation read model: watch activity (continue watching
 * and "because you watched" seeds) and per-country views (top 10) and decayed views (trending).
 *
 * Delivery is at least once, so every batch runs in one transaction that first records the
 * event ids in processed_events; ids already there are skipped. A redelivered event (a consumer
 * that crashed before acknowledging) therefore changes nothing, and the acknowledgement is
 * only sent after this transaction committed, so no event is lost either.
 */
export class ReadModelRepository {
  constructor(private readonly prisma: RecommendationPrisma) {}

  /** Applies events (unique by id); returns those applied for the first time (the rest were repeats). */
  async applyOnce(events: readonly PlaybackEvent[]): Promise<PlaybackEvent[]> {
    const unique = new Map(events.map((e) => [e.id, e]));
    if (unique.size === 0) return [];
    return this.prisma.$transaction(async (tx) => {
      const inserted = await tx.$queryRaw<{ event_id: string }[]>`
        INSERT INTO processed_events (event_id) SELECT unnest(${[...unique.keys()]}::text[])
        ON CONFLICT DO NOTHING RETURNING event_id`;
      const fresh = inserted.map((row) => unique.get(row.event_id)!);
      if (fresh.length === 0) return [];

      // Latest event per (profile, title): one row each, since a statement can't update a row twice.
      const activity = new Map<string, PlaybackEvent>();
      for (const e of fresh) {
        const key = `${e.profileId}\u0000${e.titleId}`;
        const seen = activity.get(key);
        if (!seen || seen.occurredAt <= e.occurredAt) activity.set(key, e);
      }
      const a = [...activity.values()];
      // Titles the read model doesn't know yet are skipped rather than failing the batch forever.
      await tx.$executeRaw`
        INSERT INTO watch_activity (profile_id, title_id, last_watched_at, completed)
        SELECT x.p, x.t, x.w::timestamp, x.c
        FROM unnest(${a.map((e) => e.profileId)}::text[], ${a.map((e) => e.titleId)}::text[],
                    ${a.map((e) => e.occurredAt)}::text[], ${a.map((e) => e.titleCompleted)}::boolean[]) AS x(p, t, w, c)
        WHERE EXISTS (SELECT 1 FROM title_features f WHERE f.title_id = x.t)
        ON CONFLICT (profile_id, title_id) DO UPDATE SET
          completed = CASE WHEN EXCLUDED.last_watched_at >= watch_activity.last_watched_at THEN EXCLUDED.completed ELSE watch_activity.completed END,
          last_watched_at = GREATEST(watch_activity.last_watched_at, EXCLUDED.last_watched_at)`;

      // A start is a view: counted per country, and added to the decayed trending score.
      const views = new Map<string, { titleId: string; country: string; count: number; at: string }>();
      for (const e of fresh.filter((x) => x.type === 'PlaybackStarted')) {
        const key = `${e.titleId}\u0000${e.country}`;
        const v = views.get(key) ?? { titleId: e.titleId, country: e.country, count: 0, at: e.occurredAt };
        v.count += 1;
        if (e.occurredAt > v.at) v.at = e.occurredAt;
        views.set(key, v);
      }
      const v = [...views.values()];
      if (v.length > 0) {
        await tx.$executeRaw`
          INSERT INTO country_views (title_id, country, views, trending_score, trending_updated_at)
          SELECT x.t, x.c, x.n, x.n, x.w::timestamp
          FROM unnest(${v.map((r) => r.titleId)}::text[], ${v.map((r) => r.country)}::text[],
                      ${v.map((r) => r.count)}::int[], ${v.map((r) => r.at)}::text[]) AS x(t, c, n, w)
          WHERE EXISTS (SELECT 1 FROM title_features f WHERE f.title_id = x.t)
          ON CONFLICT (title_id, country) DO UPDATE SET
            views = country_views.views + EXCLUDED.views,
            trending_score = country_views.trending_score
              * exp(-GREATEST(0, EXTRACT(EPOCH FROM (EXCLUDED.trending_updated_at - country_views.trending_updated_at))) / ${TRENDING_TAU_SECONDS})
              + EXCLUDED.trending_score,
            trending_updated_at = GREATEST(country_views.trending_updated_at, EXCLUDED.trending_updated_at)`;
      }
      return fresh;
    });
  }

  /**
   * Forgets event ids older than the window in which an event can still be redelivered (a
   * pending entry is reclaimed within minutes; the window is days), so the table stays small.
   */
  async pruneProcessedEvents(olderThanMs: number): Promise<number> {
    const { count } = await this.prisma.processedEvent.deleteMany({ where: { processedAt: { lt: new Date(Date.now() - olderThanMs) } } });
    return count;
  }
}
