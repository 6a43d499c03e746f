import { createLogger } from '../log';
import { eventDeliveries } from '../observability/metrics';
import { MAX_DELIVERIES, type Delivery, type EventBus, type SubscribeOptions, type Subscription } from './EventBus';
import type { PlaybackEvent } from './PlaybackEvent';

interface Group {
  /** Entries not yet acknowledged, oldest first. */
  log: Delivery[];
  /** One batch at a time per group: the log's head is that batch until it is acknowledged. */
  inFlight: boolean;
  consumers: Set<Consumer>;
  attempts: Map<string, number>;
}

interface Consumer {
  options: SubscribeOptions;
  closed: boolean;
}

/**
 * The embedded event bus: the same contract as the Redis stream (a group sees every event, at
 * least once, acked after handling, redelivered when handling fails) for the single-process
 * embedded mode. It lives in memory, so events published while no process runs are gone; the
 * embedded mode accepts that, production uses Redis. A group handles one batch at a time; a
 * failed batch is retried event by event, and an event that failed MAX_DELIVERIES times is
 * dropped with an error in the log.
 */
export class InProcessBus implements EventBus {
  readonly kind = 'memory' as const;
  private readonly groups = new Map<string, Group>();
  private readonly history: Delivery[] = [];
  private sequence = 0;
  private readonly log = createLogger('events');

  async publish(events: PlaybackEvent[]): Promise<void> {
    for (const event of events) {
      const delivery = { event, deliveryId: `${Date.now()}-${(this.sequence += 1)}` };
      this.history.push(delivery);
      for (const group of this.groups.values()) group.log.push(delivery);
    }
    if (this.history.length > 10_000) this.history.splice(0, this.history.length - 10_000);
    for (const group of this.groups.values()) this.pump(group);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    let group = this.groups.get(options.group);
    if (!group) {
      group = { log: [...this.history], inFlight: false, consumers: new Set(), attempts: new Map() };
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
    if (!consumer || group.inFlight || group.log.length === 0) return;
    const batch = group.log.slice(0, 200);
    group.inFlight = true;
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
        group.inFlight = false;
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
