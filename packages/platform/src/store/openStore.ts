import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import { DEFAULT_STATEMENT_TIMEOUT_MS, type StoreConfig, type SubgraphName } from '../config';
import { createLogger } from '../log';
import { migrationsDirFor } from '../repoPaths';
import { createPGlite } from './createPGlite';
import { sqlStatementDuration } from '../observability/metrics';
import { applyMigrations, pendingMigrations, readMigrations, type Migration, type SqlSession } from './migrate';

/** The slice of a generated PrismaClient this module uses; every subgraph's client has it. */
export interface PrismaLike {
  $on(event: 'query', callback: (event: { query: string; duration: number }) => void): unknown;
  $disconnect(): Promise<void>;
}

/** Counts SQL statements, so tests can prove batching and benchmarks can report it per request. */
export class StatementCounter {
  total = 0;
  record(): void {
    this.total += 1;
  }
  reset(): void {
    this.total = 0;
  }
}

export interface Store<P> {
  prisma: P;
  statements: StatementCounter;
  kind: StoreConfig['kind'];
  /** Where the data is, for the start-up banner (no password). */
  description: string;
  /**
   * Committed migrations (as read at start) not applied to the database; rejects when the store
   * doesn't answer. One query, no file reads: readiness probes call it.
   */
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
}

export type PrismaFactory<P> = (options: {
  adapter: PrismaPg | PrismaPGlite;
  log: [{ emit: 'event'; level: 'query' }];
}) => P;

/** Creates the database a `POSTGRES_URL`-style config points at, if the server lacks it. */
async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`).catch((err: { code?: string }) => {
        // Two subgraph processes (or test workers) racing to create it is fine.
        if (err.code !== '42P04' && err.code !== '23505') throw err;
      });
    }
  } finally {
    await client.end();
  }
}

async function migratePostgres(pool: pg.Pool, name: SubgraphName, migrations: Migration[]): Promise<string[]> {
  const client = await pool.connect();
  try {
    // Waiting for another replica's migrations, and a migration itself, may take longer than a
    // request's statement may: lifted for this session, restored (RESET) before it goes back.
    await client.query('SET statement_timeout = 0');
    // Replicas starting together must not run the same migration twice.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${name}`]);
    const session: SqlSession = {
      exec: async (sql) => void (await client.query(sql)),
      query: async (sql, params) => (await client.query(sql, params)).rows,
    };
    try {
      return await applyMigrations(session, migrations);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${name}`]);
      await client.query('RESET statement_timeout');
    }
  } finally {
    client.release();
  }
}

/**
 * Applies a subgraph's pending committed migrations to its Postgres database (created first when
 * the config says so) and returns their names: the migration Job's whole work
 * (`node subgraphs/<name>/dist/migrate.js`). Safe beside running replicas (advisory lock).
 */
export async function migrateStore(name: SubgraphName, config: Extract<StoreConfig, { kind: 'postgres' }>): Promise<string[]> {
  if (config.createIfMissing) await ensureDatabase(config.url);
  const pool = new pg.Pool({ connectionString: config.url, max: 1 });
  try {
    return await migratePostgres(pool, name, readMigrations(migrationsDirFor(name)));
  } finally {
    await pool.end();
  }
}

/**
 * Opens a subgraph's own store, applies its committed migrations, and returns a Prisma client on it
 * that counts its statements. Postgres in production; PGlite (Postgres compiled to WebAssembly, in
 * this process) when no database is configured, on the very same migrations.
 */
export async function openStore<P extends PrismaLike>(
  name: SubgraphName,
  config: StoreConfig,
  createPrisma: PrismaFactory<P>,
): Promise<Store<P>> {
  const log = createLogger(name);
  let adapter: PrismaPg | PrismaPGlite;
  let closeDriver: () => Promise<void>;
  let description: string;
  let migrated: string[];
  let session: SqlSession;
  // Read once: the deployed migrations don't change while the process runs.
  const migrations = readMigrations(migrationsDirFor(name));

  if (config.kind === 'postgres') {
    if (config.createIfMissing) await ensureDatabase(config.url);
    const statementTimeoutMs = config.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolSize,
      ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
    });
    // An idle client losing its connection (a Postgres restart) must not crash the process.
    pool.on('error', (err) => log.warn(`idle database connection failed: ${err.message}`));
    migrated = config.migrate === false ? [] : await migratePostgres(pool, name, migrations);
    session = {
      exec: async (sql) => void (await pool.query(sql)),
      query: async (sql, params) => (await pool.query(sql, params)).rows,
    };
    adapter = new PrismaPg(pool);
    closeDriver = () => pool.end();
    const url = new URL(config.url);
    description = `postgres ${url.host}${url.pathname}`;
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    const db = await createPGlite(config.dataDir);
    session = {
      exec: async (sql) => void (await db.exec(sql)),
      query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    };
    migrated = await applyMigrations(session, migrations);
    adapter = new PrismaPGlite(db);
    closeDriver = () => db.close();
    description = `embedded PGlite ${path.relative(process.cwd(), config.dataDir) || config.dataDir}`;
  }
  if (migrated.length > 0) log.info(`applied migrations: ${migrated.join(', ')}`);

  const prisma = createPrisma({ adapter, log: [{ emit: 'event', level: 'query' }] });
  const statements = new StatementCounter();
  const statementDuration = sqlStatementDuration.labels({ subgraph: name });
  prisma.$on('query', (event) => {
    statements.record();
    statementDuration.observe(event.duration / 1000);
  });

  return {
    prisma,
    statements,
    kind: config.kind,
    description,
    pendingMigrations: () => pendingMigrations(session, migrations),
    async close() {
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}
