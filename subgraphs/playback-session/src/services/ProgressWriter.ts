import { randomUUID } from 'node:crypto';
import { createLogger, playbackActiveSessions, progressFlushLag, type EventBus, type PlaybackEvent, type PlaybackEventType } from '@streaming/platform';
import { COMPLETION_THRESHOLD } from '../domain';
import type { ProgressRepository, ProgressWrite } from '../repositories/ProgressRepository';
import type { SessionRecord, SessionStore } from '../sessions/SessionRecord';

/**
 * Turns live sessions into durable progress and playback events. Heartbeats arrive every few
 * seconds from every device; writing each to Postgres would make the database the bottleneck,
 * so heartbeats only mark a session dirty in the session store and this writer flushes all dirty
 * sessions in one statement per interval (one event per session per flush: "coalesced").
 * Stops are written at once: the final position of a stopped session is never left to a timer.
 */
export class ProgressWriter {
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly log = createLogger('playback-session');

  constructor(
    private readonly sessions: SessionStore,
    private readonly progress: ProgressRepository,
    private readonly events: EventBus,
    private readonly intervalMs: number,
  ) {}

  /**
   * How long an expired session whose final write failed (or is under way in another replica)
   * waits before a sweep takes it again. Long enough that replicas rarely write one twice (a
   * second write is harmless: the upsert and the end event's id are the same), short enough that
   * a position lands soon after Postgres is back.
   */
  private get finalRetryMs(): number {
    return Math.max(5 * this.intervalMs, 1_000);
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /**
   * Writes every dirty session's position and finalises sessions whose device went quiet;
   * concurrent calls share one flush.
   */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce()
      .catch((err) => this.log.error('progress flush failed; it is retried on the next flush', err))
      .finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    for (;;) {
      const taken = await this.sessions.takeDirty(500);
      if (taken.length === 0) break;
      try {
        const live = taken.filter((s) => s.state === 'PLAYING');
        await this.progress.upsertMany(live.map((s) => progressOf(s, false)));
        const now = Date.now();
        for (const session of live) progressFlushLag.observe((now - Date.parse(session.lastHeartbeatAt)) / 1000);
        await this.events.publish(live.map((s) => eventOf(s, 'PlaybackProgressed', false)));
      } catch (err) {
        // Not written (or not announced): back in the set, so the next flush tries again.
        await this.sessions.markDirty(taken);
        throw err;
      }
    }
    // A device that vanished (no stop, no heartbeats) is finalised like a stop: completion at
    // 95%, the next episode queued, a PlaybackStopped/Completed event. The store keeps each such
    // session pending until its final write is done (a failed one is retried after
    // finalRetryMs): ending it in Redis and writing it to Postgres can't be one transaction.
    for (;;) {
      const { ended, pending } = await this.sessions.takeExpired(Date.now(), 200, this.finalRetryMs);
      if (ended > 0) playbackActiveSessions.dec(ended);
      if (pending.length === 0) break;
      const written: SessionRecord[] = [];
      try {
        for (const session of pending) {
          await this.writeFinal(session);
          written.push(session);
        }
      } finally {
        await this.sessions.finishExpired(written);
      }
    }
  }

  /**
   * The final write for a stopped (or replaced) session. At 95% of the runtime the movie or
   * episode counts as watched; a finished episode with a next one puts the next one, at 0, as
   * the series' latest row, so Continue Watching and the tile resume there.
   */
  async recordStop(session: SessionRecord): Promise<void> {
    // A stop and a replacement by the same device come through here (the expiry sweep counts its own).
    playbackActiveSessions.dec();
    await this.writeFinal(session);
  }

  /**
   * The final position and the session's one end event. Idempotent, so a stop retried after a
   * partial failure (its Redis update applied, the answer or this write lost) writes it again:
   * the upsert writes the same row, and the event's id is the session's, so the consumer, which
   * applies each event id once, counts it once.
   */
  async writeFinal(session: SessionRecord): Promise<void> {
    const completed = session.positionSeconds >= session.durationSeconds * COMPLETION_THRESHOLD;
    const rows: ProgressWrite[] = [progressOf(session, completed)];
    const continues = completed && session.nextEpisodeId !== null;
    if (continues) {
      rows.push({
        profileId: session.profileId, titleId: session.titleId, episodeId: session.nextEpisodeId,
        positionSeconds: 0, durationSeconds: session.nextEpisodeRuntime ?? session.durationSeconds, completed: false,
        updatedAt: new Date(Date.parse(session.lastHeartbeatAt) + 1),
      });
    }
    await this.progress.upsertMany(rows);
    const event = eventOf(session, completed ? 'PlaybackCompleted' : 'PlaybackStopped', completed && !continues, `${session.id}:end`);
    await this.events.publish([event]);
  }
}

function progressOf(session: SessionRecord, completed: boolean): ProgressWrite {
  return {
    profileId: session.profileId, titleId: session.titleId, episodeId: session.episodeId,
    positionSeconds: session.positionSeconds, durationSeconds: session.durationSeconds, completed,
    updatedAt: new Date(session.lastHeartbeatAt),
  };
}

export function eventOf(session: SessionRecord, type: PlaybackEventType, titleCompleted: boolean, id: string = randomUUID()): PlaybackEvent {
  return {
    id, type, occurredAt: session.lastHeartbeatAt, sessionId: session.id,
    profileId: session.profileId, accountId: session.accountId, country: session.country,
    titleId: session.titleId, episodeId: session.episodeId,
    positionSeconds: session.positionSeconds, durationSeconds: session.durationSeconds, titleCompleted,
  };
}
