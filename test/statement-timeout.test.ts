import { openStore } from '@streaming/platform';
import { createTestDatabases, dropTestDatabases, newRunId } from '@streaming/testing';
import { createCatalogPrisma } from '../subgraphs/catalog/src/prisma';

/**
 * A subgraph's SQL is bounded like its callers are: a statement that outlives the timeout is
 * cancelled by Postgres (57014), its pooled connection stays usable, and migrations (which may
 * wait on another replica's lock) are not subject to it.
 */
const runId = newRunId();
afterAll(() => dropTestDatabases(runId));

it('cancels a statement past its statement timeout and keeps serving', async () => {
  const urls = await createTestDatabases(runId);
  const store = await openStore('catalog', { kind: 'postgres', url: urls.catalog, createIfMissing: false, poolSize: 2, statementTimeoutMs: 200 }, createCatalogPrisma);
  try {
    await expect(store.prisma.$queryRawUnsafe('SELECT pg_sleep(2)')).rejects.toThrow(/Code: `57014`. Message: `canceling statement due to statement timeout`/);
    // Migrations ran (the table exists) and the next statement on the pool is fine.
    await expect(store.prisma.title.count()).resolves.toBe(0);
  } finally {
    await store.close();
  }
});
