import fs from 'node:fs';
import { SUBGRAPH_NAMES } from '@streaming/platform';
import { testDatabaseUrl } from '@streaming/testing';
import pg from 'pg';
import { request } from 'undici';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';

/**
 * Liveness and readiness on the gateway's and every subgraph's own port, outside GraphQL: plain
 * GETs an orchestrator sends, with no CSRF header, answered 200 or 503 with what isn't ready.
 * The gateway is ready when it can serve (its supergraph loaded, not draining); how its
 * subgraphs are is in the body, and never takes it out of a load balancer.
 */
let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph();
});
afterAll(async () => {
  await sg?.stop();
});

async function get(base: string, path: string) {
  const response = await request(new URL(path, base));
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

const allReady = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, 'ready']));

/** Readiness answers are reused for about a second: poll until the answer shows the change. */
async function eventually(base: string, expected: unknown) {
  let last: unknown;
  for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
    last = await get(base, '/health/ready');
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
  }
  expect(last).toEqual(expected);
}

it('answers live and ready on the gateway and every subgraph when all is up, the gateway naming each subgraph\'s state', async () => {
  expect(await get(sg.gatewayUrl, '/health/live')).toEqual({ status: 200, body: { status: 'live' } });
  expect(await get(sg.gatewayUrl, '/health/ready')).toEqual({ status: 200, body: { status: 'ready', subgraphs: allReady } });
  for (const url of Object.values(sg.subgraphs).map((s) => s.url)) {
    expect(await get(url, '/health/live')).toEqual({ status: 200, body: { status: 'live' } });
    expect(await get(url, '/health/ready')).toEqual({ status: 200, body: { status: 'ready' } });
  }
});

it('runs a subgraph\'s store check once for many probes within a second, and reads no migration files per probe', async () => {
  const store = sg.subgraphs.catalog.store;
  const checks = jest.spyOn(store, 'pendingMigrations');
  const reads = [jest.spyOn(fs, 'readdirSync'), jest.spyOn(fs, 'readFileSync'), jest.spyOn(fs, 'existsSync')];
  try {
    // Past the answer the previous test left (reused for about a second).
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const probes = await Promise.all(Array.from({ length: 20 }, () => get(sg.subgraphs.catalog.url, '/health/ready')));
    expect(new Set(probes.map((p) => p.status))).toEqual(new Set([200]));
    // One check answers them all; two if the machine is so loaded that the twenty straddle the
    // end of the answer's second (a per-probe check would be twenty).
    expect(checks.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(checks.mock.calls.length).toBeLessThanOrEqual(2);
    // The store check itself compares with the migration list read at start, not the folder.
    await store.pendingMigrations();
    for (const read of reads) expect(read).not.toHaveBeenCalled();
  } finally {
    checks.mockRestore();
    for (const read of reads) read.mockRestore();
  }
});

it('reports a subgraph with an unapplied migration as not ready; the gateway stays ready and says so in its body', async () => {
  const db = new pg.Client({ connectionString: testDatabaseUrl(sg.runId, 'catalog') });
  await db.connect();
  try {
    const { rows } = await db.query('DELETE FROM "_prisma_migrations" WHERE id = (SELECT id FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1) RETURNING *');
    try {
      await eventually(sg.subgraphs.catalog.url, {
        status: 503,
        body: { status: 'not ready', failing: { store: `migrations not applied: ${rows[0].migration_name}` } },
      });
      await eventually(sg.gatewayUrl, { status: 200, body: { status: 'ready', subgraphs: { ...allReady, catalog: 'not ready' } } });
      // Alive all the same: restarting it would not apply the migration.
      expect((await get(sg.subgraphs.catalog.url, '/health/live')).status).toBe(200);
    } finally {
      const row = rows[0];
      await db.query('INSERT INTO "_prisma_migrations" SELECT * FROM json_populate_record(NULL::"_prisma_migrations", $1)', [JSON.stringify(row)]);
    }
    await eventually(sg.subgraphs.catalog.url, { status: 200, body: { status: 'ready' } });
  } finally {
    await db.end();
  }
});

it('stays ready with a subgraph down, naming it unreachable, and keeps serving what the others can', async () => {
  await sg.subgraphs.recommendation.stop();
  await eventually(sg.gatewayUrl, { status: 200, body: { status: 'ready', subgraphs: { ...allReady, recommendation: 'unreachable' } } });
  expect(await get(sg.gatewayUrl, '/health/live')).toEqual({ status: 200, body: { status: 'live' } });
  // "Ready" means a request through it succeeds: the catalog still answers through this gateway.
  const title = await sg.query('{ genres { id name } }');
  expect(title.errors).toBeUndefined();
  expect(title.data!.genres.length).toBeGreaterThan(0);
});
