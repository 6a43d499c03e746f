import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPGlite } from '../packages/platform/src/store/createPGlite';

/**
 * Embedded stores after the first are copies of one empty cluster (initdb once, not four times):
 * each still opens as a store of its own, and an existing store is opened as it is.
 */
const root = mkdtempSync(path.join(os.tmpdir(), 'create-pglite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('creates new stores from one empty cluster, each independent, and reopens existing ones', async () => {
  const a = await createPGlite(path.join(root, 'a'));
  await a.exec('CREATE TABLE only_in_a (id int); INSERT INTO only_in_a VALUES (1)');
  const b = await createPGlite(path.join(root, 'b'));
  const inB = await b.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_a'`);
  expect(inB.rows[0].n).toBe(0);
  await Promise.all([a.close(), b.close()]);
  // One template, and no half-made one left behind.
  expect(readdirSync(root).filter((f) => f.startsWith('.pglite-empty-'))).toHaveLength(1);

  const again = await createPGlite(path.join(root, 'a'));
  expect((await again.query<{ id: number }>('SELECT id FROM only_in_a')).rows).toEqual([{ id: 1 }]);
  await again.close();
  expect(existsSync(path.join(root, 'b', 'PG_VERSION'))).toBe(true);
}, 300_000);
