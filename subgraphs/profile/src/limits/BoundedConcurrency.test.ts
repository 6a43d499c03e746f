import { BoundedConcurrency, NoSlotAvailable } from './BoundedConcurrency';

/** A task the test finishes by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('BoundedConcurrency', () => {
  it('runs at most `concurrency` tasks at once, in arrival order, and refuses past the line', async () => {
    const slots = new BoundedConcurrency({ concurrency: 2, maxQueued: 3 });
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, gate);
    const runs = gates.map((g, i) =>
      slots.run(async () => {
        started.push(i);
        running += 1;
        peak = Math.max(peak, running);
        await g.opened;
        running -= 1;
        return i;
      }),
    );
    await settle();
    expect(slots.load).toEqual({ running: 2, queued: 3 });
    // The sixth finds both slots busy and three waiting: refused at once, nothing started.
    await expect(slots.run(async () => 'never')).rejects.toBeInstanceOf(NoSlotAvailable);
    for (const g of gates) g.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(slots.load).toEqual({ running: 0, queued: 0 });
  });

  it('refuses a task that would wait longer than maxWaitMs, by how long tasks lately took', async () => {
    let clock = 0;
    const slots = new BoundedConcurrency({ concurrency: 1, maxQueued: 10, maxWaitMs: 250, now: () => clock });
    // One task of 200 ms sets the estimate.
    await slots.run(async () => {
      clock += 200;
    });
    const first = gate();
    const running = slots.run(() => first.opened);
    // Next in line waits for the running one: about 200 ms, within 250.
    const second = gate();
    const waiting = slots.run(() => second.opened);
    await settle();
    expect(slots.load).toEqual({ running: 1, queued: 1 });
    // Behind it, about 400 ms: refused although the line has room.
    await expect(slots.run(async () => 'never')).rejects.toBeInstanceOf(NoSlotAvailable);
    first.open();
    second.open();
    await Promise.all([running, waiting]);
  });

  it('frees the slot of a task that fails', async () => {
    const slots = new BoundedConcurrency({ concurrency: 1, maxQueued: 0 });
    await expect(slots.run(async () => Promise.reject(new Error('scrypt failed')))).rejects.toThrow('scrypt failed');
    expect(await slots.run(async () => 'next')).toBe('next');
  });
});
