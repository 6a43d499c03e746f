import type { PlaybackEvent } from './PlaybackEvent';

/** One delivered event; `ack` confirms it was handled so it is not delivered again. */
export interface Delivery {
  event: PlaybackEvent;
  /** The transport's id (a stream entry id), for logs. */
  deliveryId: string;
}

/**
 * An event whose handling failed this many times is set aside (dead-lettered) instead of being
 * retried forever: one malformed or unappliable event must not stall the stream.
 */
export const MAX_DELIVERIES = 5;

export interface SubscribeOptions {
  /** Consumers in one group share the work; every group sees every event. */
  group: string;
  /**
   * Unique per running instance, and the same when it restarts: each name stays in the group
   * until the bus deletes it as idle (RedisStreamBus), so a fresh name per boot only piles up.
   */
  consumer: string;
  /** Handles a batch; resolves only after its writes are durable. Deliveries are acked after. */
  handle: (deliveries: Delivery[]) => Promise<void>;
  /** Events another consumer took but did not ack for this long are reclaimed (its crash). */
  reclaimIdleMs?: number;
  /** Test hook: called after handling, before acknowledging. Throwing simulates a crash there. */
  beforeAck?: (deliveries: Delivery[]) => void | Promise<void>;
}

export interface Subscription {
  /** Stops reading; handled-but-unacked deliveries stay pending for a reclaim. */
  close(): Promise<void>;
}

/**
 * The playback event stream. Redis Streams with consumer groups in production; an in-process
 * bus with the same contract when the service runs embedded (one process, no Redis).
 */
export interface EventBus {
  readonly kind: 'redis' | 'memory';
  publish(events: PlaybackEvent[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  close(): Promise<void>;
}
