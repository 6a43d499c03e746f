import { createLogger } from '../log';
import type { Delivery, EventBus, SubscribeOptions, Subscription } from './EventBus';
import type { PlaybackEvent } from './PlaybackEvent';

interface Group {
  log: Delivery[];
  /** Index of the next undelivered entry. */
  cursor: number;
  consumers: Set<Consumer>;
}

interface Consumer {
  options: SubscribeOptions;
  busy: boolean;
  closed: boolean;
}

/**
 * The embedded event bus: the same contract as the Redis stream (a group sees every event, at
 * least once, acked after handling, redelivered when handling fails) for the single-process
 * embedded mode. It lives in memory, so events published while no process runs are gone; the
 * embedded mode accepts that, production uses Redis.
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
      group = { log: [...this.history], cursor: 0, consumers: new Set() };
      this.groups.set(options.group, group);
    }
    const consumer: Consumer = { options, busy: false, closed: false };
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
    const consumer = [...group.consumers].find((c) => !c.busy && !c.closed);
    if (!consumer || group.cursor >= group.log.length) return;
    const batch = group.log.slice(group.cursor, group.cursor + 200);
    group.cursor += batch.length;
    consumer.busy = true;
    void (async () => {
      try {
        await consumer.options.handle(batch);
        await consumer.options.beforeAck?.(batch);
        group.log.splice(0, group.cursor);
        group.cursor = 0;
      } catch (err) {
        // Not acknowledged: rewind so the batch is delivered again.
        this.log.error('event handling failed; redelivering', err);
        group.cursor -= batch.length;
        await new Promise((r) => setTimeout(r, 200));
      } finally {
        consumer.busy = false;
        this.pump(group);
      }
    })();
  }

  async close(): Promise<void> {
    for (const group of this.groups.values()) for (const c of group.consumers) c.closed = true;
    this.groups.clear();
  }
}
