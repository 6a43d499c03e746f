import pg from 'pg';
import { bulkInsert, utc } from '@streaming/platform';
import { createTestDatabases, dropTestDatabases, newRunId } from '@streaming/testing';

/**
 * bulkInsert (what the seeds and the similarity job write large tables with) on real Postgres:
 * every row in, in chunks; dates stored as the UTC wall time, as Prisma stores them; columns a
 * row lacks take their defaults; arrays and nulls come through; odd names are refused.
 */
const runId = newRunId();
let client: pg.Client;

beforeAll(async () => {
  const urls = await createTestDatabases(runId);
  client = new pg.Client({ connectionString: urls.catalog });
  await client.connect();
  // A session in another zone: the stored value must not depend on it.
  await client.query(`SET TIME ZONE 'America/New_York'`);
  await client.query(`CREATE TABLE "rows" (id text PRIMARY KEY, position integer NOT NULL, seen_at timestamp(3) NOT NULL,
    tags text[] NOT NULL, note text, added_at timestamp(3) NOT NULL DEFAULT '2000-01-01 00:00:00')`);
});
afterAll(async () => {
  await client?.end();
  await dropTestDatabases(runId);
});

const db = { $executeRawUnsafe: (sql: string, ...values: unknown[]) => client.query(sql, values) };

it('writes every row, in chunks, with UTC dates, defaults, arrays and nulls', async () => {
  const seenAt = new Date(Date.UTC(2026, 10, 26, 23, 30, 15, 123));
  const rows = Array.from({ length: 25 }, (_, i) => ({ id: `r${String(i).padStart(2, '0')}`, position: i, seen_at: new Date(seenAt.getTime() + i * 1000), tags: [`t${i}`, 'x'], note: i % 2 ? null : `n${i}` }));
  await bulkInsert(db, 'rows', rows, 10);
  const read = await client.query(`SELECT id, position, to_char(seen_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS seen_at, tags, note, to_char(added_at, 'YYYY-MM-DD') AS added_at FROM "rows" ORDER BY id`);
  expect(read.rows).toHaveLength(25);
  expect(read.rows[0]).toEqual({ id: 'r00', position: 0, seen_at: '2026-11-26T23:30:15.123', tags: ['t0', 'x'], note: 'n0', added_at: '2000-01-01' });
  expect(read.rows[24]).toMatchObject({ id: 'r24', position: 24, note: 'n24' });
  expect(read.rows[1].note).toBeNull();
  expect(utc(read.rows[24].seen_at).getTime()).toBe(seenAt.getTime() + 24_000);
});

it('does nothing for no rows, and refuses names that are not plain identifiers', async () => {
  await expect(bulkInsert(db, 'rows', [])).resolves.toBeUndefined();
  await expect(bulkInsert(db, 'rows"; DROP TABLE "rows', [{ id: 'x' }])).rejects.toThrow(/not a plain table or column name/);
  await expect(bulkInsert(db, 'rows', [{ 'id"': 'x' }])).rejects.toThrow(/not a plain table or column name/);
});
