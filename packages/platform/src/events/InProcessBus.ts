import { createLogger } from '../log';
import { eventDeliveries } from '../observability/metrics';
import { MAX_DELIVERIES, type Delivery, type EventBus, type SubscribeOptions, type Subscription } from './EventBus';
import type { PlaybackEvent } from './PlaybackEvent';

interface Group {
  name: string;
  /** Entries not yet acknowledged, oldest first. */
  log: Delivery[];
  /** One batch at a time per group: the log's first `inFlight` entries are that batch until it is acknowledged. */
  inFlight: number;
  /** Entries trimmed since the last warning, which is logged at most once a minute. */
  droppedSinceWarning: number;
  lastWarning: number;
  consumers: Set<Consumer>;
  attempts: Map<string, number>;
}

interface Consumer {
  options: SubscribeOptions;
  closed: boolean;
}

export interface InProcessBusOptions {
  /**
   * Events kept for a new group, and per group not yet handled, like a stream's MAXLEN: past it
   * the oldest are dropped (counted as `events_handled_total{outcome="dropped"}` and logged), so
   * a group whose consumer stopped, or can't keep up, costs bounded memory.
   * @default DEFAULT_IN_PROCESS_MAX_LENGTH
   */
  maxLength?: number;
}

export const DEFAULT_IN_PROCESS_MAX_LENGTH = 10_000;

/**
 * The embedded event bus: the same contract as the Redis stream (a group sees every event, at
 * least once, acked after handling, redelivered when handling fails) for the single-process
 * embedded mode. It lives in memory, so events published while no process runs are gone; the
 * embedded mode accepts that, production uses Redis. A group handles one batch at a time; a
 * failed batch is retried event by event, and an event that failed MAX_DELIVERIES times is
 * dropped with an error in the log. What a group has not handled is bounded by `maxLength`.
 */
export class InProcessBus implements EventBus {
  readonly kind = 'memory' as const;
  private readonly groups = new Map<string, Group>();
  private readonly history: Delivery[] = [];
  private sequence = 0;
  private readonly log = createLogger('events');
  private readonly maxLength: number;

  constructor(options: InProcessBusOptions = {}) {
    this.maxLength = Math.max(1, options.maxLength ?? DEFAULT_IN_PROCESS_MAX_LENGTH);
  }

  async publish(events: PlaybackEvent[]): Promise<void> {
    for (const event of events) {
      const delivery = { event, deliveryId: `${Date.now()}-${(this.sequence += 1)}` };
      this.history.push(delivery);
      for (const group of this.groups.values()) group.log.push(delivery);
    }
    if (this.history.length > this.maxLength) this.history.splice(0, this.history.length - this.maxLength);
    for (const group of this.groups.values()) {
      this.trim(group);
      this.pump(group);
    }
  }

  /** Drops the oldest entries past maxLength, except the batch in flight (it is being handled). */
  private trim(group: Group): void {
    const excess = group.log.length - Math.max(this.maxLength, group.inFlight);
    if (excess <= 0) return;
    for (const gone of group.log.splice(group.inFlight, excess)) group.attempts.delete(gone.deliveryId);
    eventDeliveries.inc({ group: group.name, outcome: 'dropped' }, excess);
    group.droppedSinceWarning += excess;
    if (Date.now() - group.lastWarning >= 60_000) {
      this.log.warn(`group ${group.name} is more than ${this.maxLength} events behind: dropped its ${group.droppedSinceWarning} oldest unhandled event(s)`);
      group.droppedSinceWarning = 0;
      group.lastWarning = Date.now();
    }
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    let group = this.groups.get(options.group);
    if (!group) {
      group = { name: options.group, log: [...this.history], inFlight: 0, droppedSinceWarning: 0, lastWarning: 0, consumers: new Set(), attempts: new Map() };
      this.groups.set(options.group, group);
    }
    const consumer: Consumer = { options, closed: false };
    group.consumers.add(consumer);
    this.pump(group);
    const owner = group;
    return {
      close: async () => {
        consumer.closed = true;
        owner.consumers.delete(consumer);
      },
    };
  }

  private pump(group: Group): void {
    const consumer = [...group.consumers].find((c) => !c.closed);
    if (!consumer || group.inFlight > 0 || group.log.length === 0) return;
    const batch = group.log.slice(0, 200);
    group.inFlight = batch.length;
    void (async () => {
      const done = await this.handle(consumer, group, batch);
      try {
        if (done.length) await consumer.options.beforeAck?.(done);
        const finished = new Set(done.map((d) => d.deliveryId));
        group.log = group.log.filter((d) => !finished.has(d.deliveryId));
        for (const id of finished) group.attempts.delete(id);
      } catch (err) {
        this.log.error('event acknowledgement failed; redelivering', err);
      } finally {
        group.inFlight = 0;
        if (done.length < batch.length) await new Promise((r) => setTimeout(r, 200));
        this.pump(group);
      }
    })();
  }

  /** Handles a batch, falling back to one event at a time; returns what is finished with. */
  private async handle(consumer: Consumer, group: Group, batch: Delivery[]): Promise<Delivery[]> {
    try {
      await consumer.options.handle(batch);
      return batch;
    } catch {
      const done: Delivery[] = [];
      for (const delivery of batch) {
        try {
          await consumer.options.handle([delivery]);
          done.push(delivery);
        } catch (err) {
          const attempts = (group.attempts.get(delivery.deliveryId) ?? 0) + 1;
          group.attempts.set(delivery.deliveryId, attempts);
          if (attempts < MAX_DELIVERIES) eventDeliveries.inc({ group: consumer.options.group, outcome: 'retried' });
          if (attempts >= MAX_DELIVERIES) {
            eventDeliveries.inc({ group: consumer.options.group, outcome: 'dead_lettered' });
            this.log.error(`event ${delivery.event.id} failed ${attempts} times; dropped`, err);
            done.push(delivery);
          }
        }
      }
      return done;
    }
  }

  async close(): Promise<void> {
    for (const group of this.groups.values()) for (const c of group.consumers) c.closed = true;
    this.groups.clear();
  }
}
