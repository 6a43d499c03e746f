import { createHash } from 'node:crypto';
import { SUBGRAPH_NAMES } from '../config';
import { migrationsDirFor } from '../repoPaths';
import { applyMigrations, readMigrations, type SqlSession } from './migrate';

describe('migrations', () => {
  it('reads every subgraph’s committed migrations with Prisma’s checksum', () => {
    for (const name of SUBGRAPH_NAMES) {
      const migrations = readMigrations(migrationsDirFor(name));
      expect(migrations.length).toBeGreaterThan(0);
      for (const m of migrations) expect(m.checksum).toBe(createHash('sha256').update(m.sql).digest('hex'));
    }
  });

  it('refuses to run on a database where an applied migration has changed', async () => {
    const session: SqlSession = {
      exec: async () => undefined,
      query: async <T>(sql: string) => (sql.startsWith('SELECT') ? [{ migration_name: '1_init', checksum: 'old' }] : []) as T[],
    };
    await expect(applyMigrations(session, [{ name: '1_init', sql: 'SELECT 1', checksum: 'new' }])).rejects.toThrow(/changed after it was applied/);
  });
});
