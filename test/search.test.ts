import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { isAllowed, openStore, type Maturity, type StoreConfig, type Store } from '@streaming/platform';
import { newRunId, TEST_POSTGRES_URL } from '@streaming/testing';
import { createCatalogPrisma, type CatalogPrisma } from '../subgraphs/catalog/src/prisma';
import { searchStatement } from '../subgraphs/catalog/src/repositories/TitleRepository';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';
import { ratingOf } from './support/expectations';

/**
 * Profile.search, ranked in SQL: names that start with the query first, then names that contain
 * it, each by popularity, then id; the rating filter in SQL; at most `first` rows read. And the
 * planner: the statement the catalog sends uses the name indexes, on Postgres and on PGlite.
 */
const EVERY_RATING: Maturity[] = ['ALL', 'SEVEN_PLUS', 'THIRTEEN_PLUS', 'SIXTEEN_PLUS', 'EIGHTEEN_PLUS'];

describe('a short query, through the gateway', () => {
  let sg: TestSupergraph;
  beforeAll(async () => {
    sg = await startTestSupergraph();
    const prisma = sg.subgraphs.catalog.store.prisma as CatalogPrisma;
    const title = (id: string, name: string, popularity: number, maturityRating: Maturity = 'ALL') => ({
      id, name, popularity, maturityRating, kind: 'MOVIE' as const, synopsis: 'A search fixture.', releaseYear: 2024, runtimeSeconds: 5_400,
    });
    await prisma.title.createMany({
      data: [
        // 600 names that contain "zq", every one more popular than any title that starts with it.
        ...Array.from({ length: 600 }, (_, i) => title(`zq-many-${String(i).padStart(3, '0')}`, `Lazquo Hill ${i}`, 20_000 + i)),
        title('zq-p1', 'Zquest A', 1),
        title('zq-p2', 'Zquest C', 1), // as popular as Zquest A: the id decides
        title('zq-p3', 'The Zqueen', 3), // "The " doesn't count against starting with it
        title('zq-p4', 'Zquarter', 5, 'EIGHTEEN_PLUS'),
      ],
    });
  });
  afterAll(async () => {
    await sg?.stop();
  });

  const search = async (profileId: string, first: number) => {
    const res = await sg.run('Search', { profileId, query: 'zq', first });
    expect(res.errors).toBeUndefined();
    return res.data!.profile.search as { id: string; name: string; maturityRating: Maturity }[];
  };
  const mostPopularContaining = (n: number) => Array.from({ length: n }, (_, i) => `zq-many-${599 - i}`);

  it('puts the titles that start with it first, however many more popular titles contain it', async () => {
    expect(ratingOf('demo-premium-1')).toBe('EIGHTEEN_PLUS');
    const adult = await search('demo-premium-1', 10);
    expect(adult.map((t) => t.id)).toEqual(['zq-p4', 'zq-p3', 'zq-p1', 'zq-p2', ...mostPopularContaining(6)]);
    expect(adult.slice(0, 4).map((t) => t.name)).toEqual(['Zquarter', 'The Zqueen', 'Zquest A', 'Zquest C']);

    // The rating filter is in the statement: a kids profile gets ten titles too, none above it.
    const kidsRating = ratingOf('demo-premium-kids');
    const kids = await search('demo-premium-kids', 10);
    expect(kids.map((t) => t.id)).toEqual(['zq-p3', 'zq-p1', 'zq-p2', ...mostPopularContaining(7)]);
    expect(kids.filter((t) => !isAllowed(t.maturityRating, kidsRating))).toEqual([]);
  });

  it('takes one statement to rank and one for the titles the cache lacks', async () => {
    await sg.flushCache();
    const cold = await sg.countStatements(() => search('demo-premium-1', 20));
    expect(cold.catalog).toBe(2);
    const warm = await sg.countStatements(() => search('demo-premium-1', 20));
    expect(warm.catalog).toBe(1);
  });
});

/**
 * The planner's choices for the search statement on a catalogue with realistic names: syllable
 * words, a quarter of them "The ...", popularity long-tailed like the demo data's. Deterministic
 * (a fixed seed), so the statistics ANALYZE gathers are the same every run.
 */
async function fillCatalog(prisma: CatalogPrisma, from: number, count: number): Promise<void> {
  const syllables = ['ka', 'lo', 'mi', 'ren', 'sta', 'tor', 'vel', 'an', 'be', 'cor', 'dri', 'el', 'fa', 'gin', 'har', 'is', 'jo', 'ke', 'lun', 'mar',
    'nor', 'o', 'pe', 'qua', 'ri', 'sol', 'tha', 'u', 'vin', 'wy', 'xa', 'yo', 'zen', 'st', 'ar', 'en', 'bri', 'cla', 'dre', 'for'];
  let seed = 42 + from;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const word = () => {
    let w = '';
    for (let i = 2 + Math.floor(random() * 2); i > 0; i -= 1) w += syllables[Math.floor(random() * syllables.length)];
    return w[0].toUpperCase() + w.slice(1);
  };
  const ids: string[] = [], names: string[] = [], ratings: string[] = [], popularity: number[] = [];
  for (let i = from; i < from + count; i += 1) {
    ids.push(`t-${i}`);
    names.push(`${random() < 0.25 ? 'The ' : ''}${word()} ${word()}`);
    ratings.push(EVERY_RATING[i % EVERY_RATING.length]);
    popularity.push(Math.round(10_000 * random() ** 3 * 100) / 100);
  }
  await prisma.$executeRawUnsafe(
    `INSERT INTO titles (id, name, kind, synopsis, release_year, maturity_rating, runtime_seconds, popularity)
     SELECT id, name, 'MOVIE', '', 2020, rating::"MaturityRating", 5400, popularity
     FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[]) AS x(id, name, rating, popularity)`,
    ids, names, ratings, popularity,
  );
  await prisma.$executeRawUnsafe('ANALYZE titles');
}

interface PlanNode { 'Node Type': string; 'Index Name'?: string; 'Relation Name'?: string; Plans?: PlanNode[] }

/** The scans of each tier (starts with, contains) of the search statement's plan. */
async function tierScans(prisma: CatalogPrisma, query: string): Promise<[string[], string[]]> {
  const statement = searchStatement(query, ['ALL', 'SEVEN_PLUS', 'THIRTEEN_PLUS'], 20);
  const [row] = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(`EXPLAIN (FORMAT JSON) ${statement.text}`, ...statement.values);
  const raw = Object.values(row)[0];
  const [{ Plan }] = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
  const find = (node: PlanNode, type: string): PlanNode | undefined =>
    node['Node Type'] === type ? node : node.Plans?.map((child) => find(child, type)).find(Boolean);
  const scans = (node: PlanNode): string[] => [
    ...(/Scan/.test(node['Node Type']) ? [`${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''}`] : []),
    ...(node.Plans ?? []).flatMap(scans),
  ];
  const [startsWith, contains] = find(Plan, 'Append')!.Plans!;
  return [scans(startsWith), scans(contains)];
}

describe('the planner', () => {
  const runId = newRunId();
  let admin: pg.Client;
  const stores: Store<CatalogPrisma>[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'streaming-search-plan-'));
  const open = async (config: StoreConfig) => {
    const store = await openStore('catalog', config, createCatalogPrisma);
    stores.push(store);
    return store.prisma;
  };
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "test_${runId}_search_plan"`);
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await admin.query(`DROP DATABASE IF EXISTS "test_${runId}_search_plan" WITH (FORCE)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uses the prefix index for a selective prefix, and stops early on a short query, on Postgres; the trigram index once the catalogue is large', async () => {
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/test_${runId}_search_plan`;
    // The catalog's own migrations, applied the way the subgraph applies them at start.
    // Filling it is a batch load, not a request: no statement timeout.
    const prisma = await open({ kind: 'postgres', url: url.toString(), createIfMissing: false, poolSize: 2, statementTimeoutMs: 0 });

    // 20,000 titles: about the largest catalogue a streaming service offers in one country.
    await fillCatalog(prisma, 0, 20_000);
    const [startsWith] = await tierScans(prisma, 'xadre');
    expect(startsWith).toContain('Bitmap Index Scan titles_name_prefix_idx');
    // Two letters: starting with them is still an index range; containing them matches thousands
    // of names, so that tier walks the popularity index and stops at `first`. Neither reads the table.
    const [shortStartsWith, shortContains] = await tierScans(prisma, 'st');
    expect(shortStartsWith).toContain('Bitmap Index Scan titles_name_prefix_idx');
    expect(shortContains).toEqual(['Index Scan titles_popularity_idx']);

    // At 200,000 (the whole table no longer a few hundred pages), "contains" is the trigram index.
    await fillCatalog(prisma, 20_000, 180_000);
    const [, contains] = await tierScans(prisma, 'xadre');
    expect(contains).toContain('Bitmap Index Scan titles_name_idx');
  });

  it('uses the prefix index on PGlite, where the migration loads pg_trgm too', async () => {
    const prisma = await open({ kind: 'pglite', dataDir });
    await fillCatalog(prisma, 0, 20_000);
    const [startsWith, contains] = await tierScans(prisma, 'xadre');
    expect(startsWith).toContain('Bitmap Index Scan titles_name_prefix_idx');
    expect(contains).not.toContain('Index Scan titles_popularity_idx');
    // The trigram index is there and usable (at this size the planner rightly prefers reading
    // the table): forbid the sequential scan and it is what the contains tier uses.
    await prisma.$executeRawUnsafe('SET enable_seqscan = off');
    const [, forced] = await tierScans(prisma, 'xadre');
    expect(forced).toContain('Bitmap Index Scan titles_name_idx');
  });
});
