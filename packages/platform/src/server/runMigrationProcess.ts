import { storeConfigFromEnv, type SubgraphName } from '../config';
import { createLogger } from '../log';
import { migrateStore } from '../store/openStore';

/**
 * A subgraph's migration entry point (`node subgraphs/<name>/dist/migrate.js`), what Kubernetes'
 * migration Job runs before pods started with MIGRATE_ON_START=false turn ready. Same store
 * variables as the subgraph (`<NAME>_DATABASE_URL` or `POSTGRES_URL` + `DATABASE_PREFIX`); exit 0
 * once every committed migration is applied, 1 otherwise.
 */
export async function runMigrationProcess(name: SubgraphName): Promise<void> {
  const log = createLogger(name);
  try {
    const config = storeConfigFromEnv(name);
    if (config.kind !== 'postgres') throw new Error('no Postgres configured (set POSTGRES_URL or the subgraph\'s _DATABASE_URL)');
    const applied = await migrateStore(name, config);
    log.info(applied.length ? `applied migrations: ${applied.join(', ')}` : 'migrations: up to date');
    process.exit(0);
  } catch (err) {
    log.error('migration failed', err);
    process.exit(1);
  }
}
