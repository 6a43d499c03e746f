import { createLogger } from '../log';
import { createRedisClient, type RedisClient } from '../redis/createRedisClient';
import { eventDeliveries, watchEventStream } from '../observability/metrics';
import { MAX_DELIVERIES, type Delivery, type EventBus, type SubscribeOptions, type Subscription } from './EventBus';
import type { PlaybackEvent } from './PlaybackEvent';

export interface RedisStreamBusOptions {
  url: string;
  /** Prefix of the stream key, so test runs (and environments) don't share a stream. */
  keyPrefix: string;
  /** Entries kept in the stream (approximate trim); consumers far behind this lose events. */
  maxLength?: number;
  /**
   * Entries kept in the dead-letter stream (approximate trim, MAXLEN ~): the newest, for a person
   * to look at; a flood of bad events must not grow Redis without bound.
   * @default DEFAULT_DEAD_LETTER_MAX_LENGTH
   */
  deadLetterMaxLength?: number;
  /**
   * A group's consumers with nothing pending that have been idle this long are deleted (those of
   * stopped instances). What a dead consumer still holds is first reclaimed by XAUTOCLAIM, so
   * nothing pending is ever deleted with it.
   * @default DEFAULT_DELETE_IDLE_CONSUMERS_AFTER_MS
   */
  deleteIdleConsumersAfterMs?: number;
  blockMs?: number;
}

export const DEFAULT_DEAD_LETTER_MAX_LENGTH = 10_000;
export const DEFAULT_DELETE_IDLE_CONSUMERS_AFTER_MS = 3_600_000;

/**
 * Deletes a group's consumers that hold no pending entries and have been idle longer than
 * ARGV[2] ms, except the caller (ARGV[3]). In one script, so no entry can be delivered to a
 * consumer between the check and the deletion (XGROUP DELCONSUMER drops what it holds). A live
 * consumer deleted in a quiet spell (Redis 7.0 counts idle from its last delivery) is simply
 * created again by its next read.
 */
const DELETE_IDLE_CONSUMERS = `
local deleted = {}
for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local fields = {}
  for i = 1, #consumer, 2 do fields[consumer[i]] = consumer[i + 1] end
  if fields['pending'] == 0 and fields['idle'] > tonumber(ARGV[2]) and fields['name'] ~= ARGV[3] then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], fields['name'])
    table.insert(deleted, fields['name'])
  end
end
return deleted`;

type StreamEntries = [id: string, fields: string[]][];

/** The most a subscription's close waits for its loop's last command. */
const CLOSE_WAIT_MS = 2_000;

/**
 * Redis Streams as the event log: XADD to publish, XREADGROUP in a consumer group to consume,
 * XACK after the handler's writes committed (at-least-once), XAUTOCLAIM to take over entries a
 * crashed consumer read but never acknowledged. A batch that fails is retried event by event,
 * so one bad event only holds up itself; after MAX_DELIVERIES it goes to `<stream>:dead-letter`.
 */
export class RedisStreamBus implements EventBus {
  readonly kind = 'redis' as const;
  private readonly publisher: RedisClient;
  private readonly stream: string;
  private readonly subscriptions = new Set<Subscription>();
  private readonly log = createLogger('events');

  constructor(private readonly options: RedisStreamBusOptions) {
    this.publisher = createRedisClient(options.url, { maxRetriesPerRequest: 2 });
    this.publisher.on('error', () => undefined);
    this.stream = `${options.keyPrefix}playback-events`;
  }

  async publish(events: PlaybackEvent[]): Promise<void> {
    if (events.length === 0) return;
    const pipeline = this.publisher.pipeline();
    for (const event of events) {
      pipeline.xadd(this.stream, 'MAXLEN', '~', String(this.options.maxLength ?? 1_000_000), '*', 'event', JSON.stringify(event));
    }
    const results = await pipeline.exec();
    const failed = results?.find(([err]) => err);
    if (failed) throw failed[0];
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    // Blocking reads hold their connection, so each subscription has its own.
    const redis = createRedisClient(this.options.url, { maxRetriesPerRequest: null });
    redis.on('error', (err) => this.log.warn(`event consumer connection: ${err.message}`));
    const createGroup = async () => {
      try {
        await redis.xgroup('CREATE', this.stream, options.group, '0', 'MKSTREAM');
      } catch (err) {
        if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
      }
    };
    await createGroup();
    const unwatch = watchEventStream(options.group, () => this.probe(options.group));
    let running = true;
    // A read queued while the connection is reconnecting is never settled by disconnect() (ioredis
    // only fails queued commands when a live connection closes), so the reads also end on close:
    // a subscriber stopping during a Redis outage would otherwise wait forever.
    let closing!: () => void;
    const closed = new Promise<null>((resolve) => (closing = () => resolve(null)));
    const unlessClosed = <T>(command: Promise<T>) => Promise.race([command, closed]);
    const reclaimIdleMs = options.reclaimIdleMs ?? 30_000;
    let lastReclaim = 0;
    const idleConsumerMs = this.options.deleteIdleConsumersAfterMs ?? DEFAULT_DELETE_IDLE_CONSUMERS_AFTER_MS;
    let lastPrune = 0;
    const pruneConsumers = async () => {
      lastPrune = Date.now();
      try {
        const deleted = (await unlessClosed(redis.eval(DELETE_IDLE_CONSUMERS, 1, this.stream, options.group, idleConsumerMs, options.consumer))) as string[] | null;
        if (deleted?.length) this.log.info(`deleted ${deleted.length} idle consumer(s) of group ${options.group} with nothing pending: ${deleted.join(', ')}`);
      } catch (err) {
        if (running) this.log.warn(`could not delete idle consumers of group ${options.group}: ${(err as Error).message}`);
      }
    };

    const handle = async (entries: StreamEntries) => {
      const deliveries: Delivery[] = [];
      const unreadable: string[] = [];
      for (const [id, fields] of entries) {
        const raw = fields[fields.indexOf('event') + 1];
        try {
          deliveries.push({ deliveryId: id, event: JSON.parse(raw) as PlaybackEvent });
        } catch {
          unreadable.push(id);
        }
      }
      if (unreadable.length) {
        // A malformed entry can never succeed; acknowledging it keeps it from blocking the group.
        this.log.error(`dropping ${unreadable.length} unreadable event(s): ${unreadable.join(', ')}`);
        await redis.xack(this.stream, options.group, ...unreadable);
      }
      if (deliveries.length === 0) return;
      const ack = async (done: Delivery[]) => {
        if (done.length === 0) return;
        await options.beforeAck?.(done);
        await redis.xack(this.stream, options.group, ...done.map((d) => d.deliveryId));
      };
      try {
        await options.handle(deliveries);
      } catch (batchError) {
        if (deliveries.length === 1) return this.failed(redis, options.group, deliveries[0], batchError);
        const done: Delivery[] = [];
        for (const delivery of deliveries) {
          try {
            await options.handle([delivery]);
            done.push(delivery);
          } catch (err) {
            await this.failed(redis, options.group, delivery, err);
          }
        }
        return ack(done);
      }
      await ack(deliveries);
    };

    const loop = async () => {
      while (running) {
        try {
          // At start (the consumers earlier boots left) and then every so often.
          if (Date.now() - lastPrune >= Math.min(idleConsumerMs, 60_000)) await pruneConsumers();
          if (Date.now() - lastReclaim >= Math.min(reclaimIdleMs, 5_000)) {
            lastReclaim = Date.now();
            const reclaimed = (await unlessClosed(redis.xautoclaim(this.stream, options.group, options.consumer, reclaimIdleMs, '0-0', 'COUNT', 200))) as [string, StreamEntries] | null;
            if (!reclaimed) break;
            const [, claimed] = reclaimed;
            if (claimed.length) await handle(claimed.filter(([, fields]) => fields));
          }
          const result = (await unlessClosed(redis.xreadgroup(
            'GROUP', options.group, options.consumer, 'COUNT', 200, 'BLOCK', this.options.blockMs ?? 500, 'STREAMS', this.stream, '>',
          ))) as [string, StreamEntries][] | null;
          if (result) await handle(result[0][1]);
        } catch (err) {
          if (!running) break;
          // The stream (and its group) vanished, e.g. Redis was flushed: start the group again.
          if (String((err as Error).message).includes('NOGROUP')) await createGroup().catch(() => undefined);
          this.log.error('event handling failed; the events stay pending and are retried', err);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    };
    const done = loop();
    const subscription: Subscription = {
      close: async () => {
        running = false;
        closing();
        unwatch();
        redis.disconnect();
        // The loop's other commands (acks, dead-lettering) can be queued on a reconnecting
        // connection too: wait for the loop, but not past a bound (the events stay pending and are
        // reclaimed by the next consumer).
        await Promise.race([done, new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())]);
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * A delivery whose handling failed stays pending (reclaimed and retried later), until it has
   * been delivered MAX_DELIVERIES times: then it moves to the dead-letter stream, for a person.
   */
  private async failed(redis: RedisClient, group: string, delivery: Delivery, err: unknown): Promise<void> {
    const pending = (await redis.xpending(this.stream, group, delivery.deliveryId, delivery.deliveryId, 1)) as [string, string, number, number][];
    const deliveries = pending[0]?.[3] ?? 1;
    const reason = err instanceof Error ? err.message : String(err);
    if (deliveries < MAX_DELIVERIES) {
      eventDeliveries.inc({ group, outcome: 'retried' });
      this.log.warn(`event ${delivery.event.id} failed (delivery ${deliveries} of ${MAX_DELIVERIES}), will retry: ${reason}`);
      return;
    }
    eventDeliveries.inc({ group, outcome: 'dead_lettered' });
    this.log.error(`event ${delivery.event.id} failed ${deliveries} times; moved to ${this.stream}:dead-letter: ${reason}`);
    await redis.xadd(`${this.stream}:dead-letter`, 'MAXLEN', '~', String(this.options.deadLetterMaxLength ?? DEFAULT_DEAD_LETTER_MAX_LENGTH), '*', 'event', JSON.stringify(delivery.event), 'error', reason, 'deliveryId', delivery.deliveryId);
    await redis.xack(this.stream, group, delivery.deliveryId);
  }

  /** Stream length, and the group's pending entries and lag, for /metrics (on each scrape). */
  private async probe(group: string): Promise<{ length: number; pending: number; lagSeconds: number }> {
    const length = await this.publisher.xlen(this.stream);
    const groups = (await this.publisher.xinfo('GROUPS', this.stream)) as unknown[][];
    const info = groups.map((g) => Object.fromEntries(chunk(g))).find((g) => g.name === group);
    const summary = (await this.publisher.xpending(this.stream, group)) as [number, string | null, string | null, unknown];
    const unread = info ? ((await this.publisher.xrange(this.stream, `(${String(info['last-delivered-id'])}`, '+', 'COUNT', 1)) as [string, string[]][]) : [];
    // Stream ids start with their creation time in ms: the oldest event not yet done tells the lag.
    const oldest = [summary[1], unread[0]?.[0]].filter((id): id is string => Boolean(id)).map((id) => Number(id.split('-')[0]));
    const lagSeconds = oldest.length ? Math.max(0, (Date.now() - Math.min(...oldest)) / 1000) : 0;
    return { length, pending: Number(summary[0] ?? 0), lagSeconds };
  }

  async close(): Promise<void> {
    for (const subscription of [...this.subscriptions]) await subscription.close();
    this.publisher.disconnect();
  }
}

function chunk(flat: unknown[]): [string, unknown][] {
  const pairs: [string, unknown][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([String(flat[i]), flat[i + 1]]);
  return pairs;
}
