import express from 'express';
import { createHealth } from './healthRoutes';
import { listen, type HttpListener } from './listen';

/** Readiness answers are shared: probes don't each run the checks (an amplifier under many probes). */
describe('createHealth', () => {
  let server: HttpListener | undefined;
  afterEach(async () => {
    await server?.close(0);
    server = undefined;
  });

  async function serve(health: ReturnType<typeof createHealth>) {
    const app = express();
    app.use(health.routes);
    server = await listen(app, { port: 0, host: '127.0.0.1' });
    const url = new URL('/health/ready', server.url);
    return async () => {
      const response = await fetch(url);
      return { status: response.status, body: await response.json() };
    };
  }

  it('runs its checks once per cache window, however many probes come, and again after it', async () => {
    let now = 1_000;
    let runs = 0;
    let state: string | undefined;
    const probe = await serve(createHealth({ store: async () => { runs += 1; return state; } }, { cacheMs: 1_000, now: () => now }));
    const first = await Promise.all(Array.from({ length: 10 }, probe));
    expect(first.map((p) => p.status)).toEqual(Array(10).fill(200));
    now += 999;
    state = 'down';
    expect((await probe()).status).toBe(200);
    expect(runs).toBe(1);
    now += 1;
    expect(await probe()).toEqual({ status: 503, body: { status: 'not ready', failing: { store: 'down' } } });
    expect(runs).toBe(2);
  });

  it('reports dependencies in the body without letting them gate readiness', async () => {
    let catalog: string | undefined = 'unreachable';
    const health = createHealth({ supergraph: async () => undefined }, { reported: { key: 'subgraphs', checks: { catalog: async () => catalog, profile: async () => undefined } } });
    const probe = await serve(health);
    expect(await probe()).toEqual({ status: 200, body: { status: 'ready', subgraphs: { catalog: 'unreachable', profile: 'ready' } } });
    catalog = undefined;
    expect(await probe()).toEqual({ status: 200, body: { status: 'ready', subgraphs: { catalog: 'ready', profile: 'ready' } } });
    health.markDraining();
    expect(await probe()).toEqual({ status: 503, body: { status: 'draining' } });
  });
});
