import { testDatabaseUrl } from '@streaming/testing';
import pg from 'pg';
import { request } from 'undici';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';

/**
 * Liveness and readiness on the gateway's and every subgraph's own port, outside GraphQL: plain
 * GETs an orchestrator sends, with no CSRF header, answered 200 or 503 with what isn't ready.
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

it('answers live and ready on the gateway and every subgraph when all is up', async () => {
  for (const url of [sg.gatewayUrl, ...Object.values(sg.subgraphs).map((s) => s.url)]) {
    expect(await get(url, '/health/live')).toEqual({ status: 200, body: { status: 'live' } });
    expect(await get(url, '/health/ready')).toEqual({ status: 200, body: { status: 'ready' } });
  }
});

it('reports a subgraph with an unapplied migration as not ready, and the gateway with it', async () => {
  const db = new pg.Client({ connectionString: testDatabaseUrl(sg.runId, 'catalog') });
  await db.connect();
  try {
    const { rows } = await db.query('DELETE FROM "_prisma_migrations" WHERE id = (SELECT id FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1) RETURNING *');
    try {
      expect(await get(sg.subgraphs.catalog.url, '/health/ready')).toEqual({
        status: 503,
        body: { status: 'not ready', failing: { store: `migrations not applied: ${rows[0].migration_name}` } },
      });
      expect(await get(sg.gatewayUrl, '/health/ready')).toEqual({ status: 503, body: { status: 'not ready', failing: { catalog: 'not ready' } } });
      // Alive all the same: restarting it would not apply the migration.
      expect((await get(sg.subgraphs.catalog.url, '/health/live')).status).toBe(200);
    } finally {
      const row = rows[0];
      await db.query('INSERT INTO "_prisma_migrations" SELECT * FROM json_populate_record(NULL::"_prisma_migrations", $1)', [JSON.stringify(row)]);
    }
    expect((await get(sg.subgraphs.catalog.url, '/health/ready')).status).toBe(200);
  } finally {
    await db.end();
  }
});

it('reports a stopped subgraph as unreachable while the gateway itself stays live', async () => {
  await sg.subgraphs.recommendation.stop();
  expect(await get(sg.gatewayUrl, '/health/ready')).toEqual({ status: 503, body: { status: 'not ready', failing: { recommendation: 'unreachable' } } });
  expect(await get(sg.gatewayUrl, '/health/live')).toEqual({ status: 200, body: { status: 'live' } });
});
