import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The two things migrations need from a connection. Postgres (pg) and PGlite both provide them,
 * which is why migrations run below Prisma rather than through it.
 */
export interface SqlSession {
  /** Runs a script of one or more statements (simple protocol, no parameters). */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/**
 * Prisma's own bookkeeping table, created exactly as `prisma migrate deploy` creates it, so a
 * database migrated here is one the Prisma CLI recognises (and vice versa).
 */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** The committed migrations of one Prisma schema, oldest first (folder names sort by timestamp). */
export function readMigrations(migrationsDir: string): Migration[] {
  if (!existsSync(migrationsDir)) throw new Error(`No migrations folder at ${migrationsDir}`);
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(migrationsDir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      // Prisma's checksum is the SHA-256 of the file's bytes; matching it keeps `migrate deploy` happy.
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Committed migrations the database has not (successfully) applied; a query that also proves it answers. */
export async function pendingMigrations(session: SqlSession, migrations: Migration[]): Promise<string[]> {
  const rows = await session.query<{ migration_name: string }>(
    'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  ).catch((err: { code?: string }) => {
    // No bookkeeping table yet (MIGRATE_ON_START=false before the migration Job ran): all pending.
    if (err.code === '42P01') return [];
    throw err;
  });
  const applied = new Set(rows.map((row) => row.migration_name));
  return migrations.map((m) => m.name).filter((name) => !applied.has(name));
}

/**
 * Applies the migrations that have not been applied yet, each in its own transaction, and records
 * them in `_prisma_migrations`. This is what `prisma migrate deploy` does; we do it ourselves
 * because the Prisma CLI needs a native schema engine that it downloads, and machines without that
 * download (CI behind a firewall, the embedded store) must still be able to start.
 *
 * A migration that was applied with different contents is an error, as it is for Prisma: silently
 * running on a schema that differs from the code is worse than not starting.
 */
export async function applyMigrations(session: SqlSession, migrations: Migration[]): Promise<string[]> {
  await session.exec(CREATE_MIGRATIONS_TABLE);
  const rows = await session.query<{ migration_name: string; checksum: string }>(
    'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  const applied = new Map(rows.map((row) => [row.migration_name, row.checksum]));
  const ran: string[] = [];
  for (const migration of migrations) {
    const checksum = applied.get(migration.name);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) {
        throw new Error(`Migration ${migration.name} was changed after it was applied (checksum differs); add a new migration instead`);
      }
      continue;
    }
    await session.exec('BEGIN');
    try {
      await session.exec(migration.sql);
      await session.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      await session.exec('COMMIT');
    } catch (err) {
      await session.exec('ROLLBACK');
      throw new Error(`Migration ${migration.name} failed: ${(err as Error).message}`);
    }
    ran.push(migration.name);
  }
  return ran;
}
