import { listen, type HttpListener } from '@streaming/platform';
import express from 'express';
import { request } from 'undici';
import { AdaptiveLimit, concurrencyLimit, DEFAULT_CONCURRENCY_LIMIT, fixedConcurrencyLimit, type ConcurrencyLimiter } from './concurrencyLimit';

describe('AdaptiveLimit', () => {
  const config = { ...DEFAULT_CONCURRENCY_LIMIT, initial: 10, min: 8, max: 20, targetUtilization: 0.95, targetGcShare: 0.15 };

  it('gives up a slot per window while the loop is saturated and collecting garbage, down to its floor', () => {
    const limit = new AdaptiveLimit(config);
    expect([1, 2, 3].map(() => limit.adjust(0.99, 0.2, true))).toEqual([9, 8, 8]);
  });

  it('keeps its slots while the loop is saturated with work that leaves little garbage, and probes one more while requests wait', () => {
    const limit = new AdaptiveLimit(config);
    expect(limit.adjust(0.99, 0.05, false)).toBe(10);
    expect([1, 2].map(() => limit.adjust(0.99, 0.05, true))).toEqual([11, 12]);
  });

  it('grows by a quarter while requests wait and the loop has time to spare (it waits on subgraphs), up to its ceiling', () => {
    const limit = new AdaptiveLimit(config);
    expect([1, 2, 3, 4].map(() => limit.adjust(0.5, 0.3, true))).toEqual([13, 17, 20, 20]);
  });

  it('stays where it is while nothing waits', () => {
    const limit = new AdaptiveLimit(config);
    expect(limit.adjust(0.2, 0, false)).toBe(10);
  });
});

/**
 * Through a real HTTP server: each request to /work/<id> starts, says so, and holds its response
 * until the test finishes it. The limiter's window is a minute, so the limit doesn't move.
 */
describe('concurrencyLimit over HTTP', () => {
  let server: HttpListener | undefined;
  let limiter: ConcurrencyLimiter | undefined;
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  afterEach(async () => {
    for (const end of finish.values()) end();
    finish.clear();
    started.length = 0;
    limiter?.close();
    await server?.close(0);
    server = undefined;
  });

  async function serve(limit: number, maxHoldMs = 60_000): Promise<(id: string, signal?: AbortSignal) => Promise<string>> {
    limiter = concurrencyLimit({ ...fixedConcurrencyLimit(limit), windowMs: 60_000, maxHoldMs });
    const app = express();
    app.use(limiter);
    app.get('/work/:id', (req, res) => {
      const id = String(req.params.id);
      started.push(id);
      finish.set(id, () => res.end(id));
    });
    server = await listen(app, { port: 0, host: '127.0.0.1' });
    const url = server.url;
    return async (id, signal) => {
      const res = await request(`${url}work/${id}`, { signal });
      return res.body.text();
    };
  }

  const until = async (what: () => boolean) => {
    while (!what()) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  const end = (id: string) => {
    finish.get(id)!();
    finish.delete(id);
  };

  it('holds requests over the limit at the door and lets them in first come, first served', async () => {
    const call = await serve(2);
    const answers = [call('a'), call('b')];
    await until(() => started.length === 2);
    answers.push(call('c'));
    await until(() => limiter!.state().queued === 1);
    answers.push(call('d'));
    await until(() => limiter!.state().queued === 2);
    expect(limiter!.state()).toEqual({ limit: 2, executing: 2, queued: 2 });

    end('b');
    await until(() => started.length === 3);
    expect(started).toEqual(['a', 'b', 'c']);
    end('a');
    await until(() => started.length === 4);
    end('c');
    end('d');
    expect(await Promise.all(answers)).toEqual(['a', 'b', 'c', 'd']);
    await until(() => limiter!.state().executing === 0);
  });

  it('forgets a queued request whose client went away, and gives its turn to the next', async () => {
    const call = await serve(1);
    const first = call('a');
    await until(() => started.length === 1);
    const leaving = new AbortController();
    const gone = call('gone', leaving.signal).catch((err: Error) => err.name);
    await until(() => limiter!.state().queued === 1);
    const next = call('next');
    await until(() => limiter!.state().queued === 2);
    leaving.abort();
    expect(await gone).toBe('AbortError');
    await until(() => limiter!.state().queued === 1);

    end('a');
    await until(() => started.length === 2);
    expect(started).toEqual(['a', 'next']);
    end('next');
    expect([await first, await next]).toEqual(['a', 'next']);
  });

  it('lets the next request in when one holds its slot past maxHoldMs, without cutting the slow one', async () => {
    const call = await serve(1, 50);
    const slow = call('slow');
    await until(() => started.length === 1);
    const next = call('next');
    // No answer is given to the slow request: only its hold running out lets the next one in.
    await until(() => started.length === 2);
    expect(limiter!.state()).toMatchObject({ executing: 1, queued: 0 });
    end('next');
    end('slow');
    expect([await slow, await next]).toEqual(['slow', 'next']);
    await until(() => limiter!.state().executing === 0);
  });
});
