import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SUBGRAPH_NAMES, type SubgraphName } from '@streaming/platform';

/** The Postgres the tests run against; CI and this machine have one on localhost. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** A short id unique to one test run, so two runs (or two jest workers) never share data. */
export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export function testDatabaseUrl(runId: string, name: SubgraphName): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/test_${runId}_${name.replace(/-/g, '_')}`;
  return url.toString();
}

/** Creates one empty database per subgraph for this run. */
export async function createTestDatabases(runId: string): Promise<Record<SubgraphName, string>> {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    const urls = {} as Record<SubgraphName, string>;
    for (const name of SUBGRAPH_NAMES) {
      urls[name] = testDatabaseUrl(runId, name);
      await admin.query(`CREATE DATABASE "${new URL(urls[name]).pathname.slice(1)}"`);
    }
    return urls;
  } finally {
    await admin.end();
  }
}

export async function dropTestDatabases(runId: string): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    for (const name of SUBGRAPH_NAMES) {
      await admin.query(`DROP DATABASE IF EXISTS "${new URL(testDatabaseUrl(runId, name)).pathname.slice(1)}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}
