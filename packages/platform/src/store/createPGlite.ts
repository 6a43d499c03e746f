import { cpSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

/** PGlite's version: a template made by another version may not open. */
function pgliteVersion(): string {
  const dist = path.dirname(require.resolve('@electric-sql/pglite'));
  return (JSON.parse(readFileSync(path.join(dist, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Opens an embedded store, creating it first if its directory holds none. A new store starts as
 * a copy of an empty cluster kept beside it (`.pglite-empty-<version>`, made by the first store
 * that needs it): PGlite's initdb costs seconds of CPU every time (20 s on the loaded 2-core
 * machine, against 1 s to copy), and a first embedded start makes four stores.
 */
export async function createPGlite(dataDir: string): Promise<PGlite> {
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const template = path.join(path.dirname(dataDir), `.pglite-empty-${pgliteVersion()}`);
    if (!existsSync(path.join(template, 'PG_VERSION'))) {
      // Made under a name of its own, then renamed: two processes starting at once never copy a half-made one.
      const building = `${template}.${process.pid}.${Date.now()}`;
      await (await PGlite.create(building)).close();
      try {
        renameSync(building, template);
      } catch {
        rmSync(building, { recursive: true, force: true }); // another process renamed its own first
      }
    }
    cpSync(template, dataDir, { recursive: true });
  }
  // Postgres has its contrib extensions on disk; PGlite only has those it is given here. A
  // migration's CREATE EXTENSION must work on both (catalog search uses pg_trgm).
  return PGlite.create(dataDir, { extensions: { pg_trgm } });
}
