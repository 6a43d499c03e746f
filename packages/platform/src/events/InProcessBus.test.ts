import { randomUUID } from 'node:crypto';
import { eventDeliveries } from '../observability/metrics';
import type { Delivery } from './EventBus';
import { InProcessBus } from './InProcessBus';
import type { PlaybackEvent } from './PlaybackEvent';

const event = (positionSeconds: number): PlaybackEvent => ({
  id: randomUUID(), type: 'PlaybackProgressed', occurredAt: new Date().toISOString(), sessionId: 's', profileId: 'p',
  accountId: 'a', country: 'US', titleId: 't', episodeId: null, positionSeconds, durationSeconds: 100, titleCompleted: false,
});

const dropped = async (group: string) =>
  (await eventDeliveries.get()).values.find((v) => v.labels.group === group && v.labels.outcome === 'dropped')?.value ?? 0;

describe('InProcessBus', () => {
  it("keeps at most maxLength events for a group nobody consumes, dropping the oldest and counting them", async () => {
    const bus = new InProcessBus({ maxLength: 10 });
    const group = `bounded-${randomUUID()}`;
    // The group exists (it was consumed once), but its consumer is gone: the subgraph stopped.
    const first = await bus.subscribe({ group, consumer: 'c1', handle: async () => undefined });
    await first.close();

    await bus.publish(Array.from({ length: 25 }, (_, i) => event(i)));
    expect(await dropped(group)).toBe(15);

    const seen: number[] = [];
    const second = await bus.subscribe({ group, consumer: 'c2', handle: async (d: Delivery[]) => void seen.push(...d.map((x) => x.event.positionSeconds)) });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    await second.close();
    await bus.close();
  });

  it('never drops the batch a consumer is handling', async () => {
    const bus = new InProcessBus({ maxLength: 3 });
    const group = `in-flight-${randomUUID()}`;
    const seen: number[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const subscription = await bus.subscribe({
      group, consumer: 'c',
      handle: async (d: Delivery[]) => {
        seen.push(...d.map((x) => x.event.positionSeconds));
        if ((calls += 1) === 1) await held;
      },
    });
    await bus.publish([event(0), event(1)]); // handed to the consumer as one batch, which it holds
    await bus.publish(Array.from({ length: 6 }, (_, i) => event(i + 2)));
    release();
    await new Promise((r) => setTimeout(r, 50));
    // The held batch (0, 1) is kept and acknowledged; behind it, only the newest 3 - 2 = 1 waited.
    expect(seen).toEqual([0, 1, 7]);
    expect(await dropped(group)).toBe(5);
    await subscription.close();
    await bus.close();
  });
});
