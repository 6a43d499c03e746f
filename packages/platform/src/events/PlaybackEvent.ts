/**
 * What playback tells the rest of the service about viewing, on the playback event stream (the
 * role Kafka plays at Netflix). Consumers must be idempotent by `id`: delivery is at least once.
 */
export type PlaybackEventType = 'PlaybackStarted' | 'PlaybackProgressed' | 'PlaybackStopped' | 'PlaybackCompleted';

export interface PlaybackEvent {
  /** Unique per event; redeliveries carry the same id. */
  id: string;
  type: PlaybackEventType;
  /** ISO-8601 UTC. */
  occurredAt: string;
  sessionId: string;
  profileId: string;
  accountId: string;
  /** The account's country, for per-country trending and top 10. */
  country: string;
  titleId: string;
  episodeId: string | null;
  positionSeconds: number;
  durationSeconds: number;
  /**
   * True when the whole title is done: a movie watched to the end, or a series' last episode.
   * A finished episode with another after it leaves the title in progress.
   */
  titleCompleted: boolean;
  /** W3C trace context of the request that caused the event, when tracing is on. */
  traceparent?: string;
}
