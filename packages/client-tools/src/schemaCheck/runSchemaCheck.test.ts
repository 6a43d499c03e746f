import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { subgraphsOnDisk } from '@streaming/gateway/dist/composeSupergraph';
import { formatReport } from './formatReport';
import { runSchemaCheck } from './runSchemaCheck';
import { main, registeredOperations } from './schemaCheckCli';

/**
 * The check over the real subgraph schemas and the real manifest: an edited subgraph is composed,
 * its API changes judged by the operations in gateway/persisted-query-manifest.json.
 */
const ROOT = path.resolve(__dirname, '../../../..');
const current = subgraphsOnDisk();
const operations = registeredOperations(ROOT);
const edit = (name: string, from: string | RegExp, to: string) =>
  current.map((s) => {
    if (s.name !== name) return s;
    const sdl = s.sdl.replace(from, to);
    expect(sdl).not.toBe(s.sdl);
    return { ...s, sdl };
  });
const check = (subgraphs = current) => runSchemaCheck({ base: { description: 'the working tree', subgraphs: current }, subgraphs, operations, windowDays: 30 });

it('passes with nothing changed, every registered operation valid', async () => {
  const result = await check();
  expect(result).toMatchObject({ pass: true, subgraphChanges: [], api: { changes: [], invalidOperations: [] } });
  expect(formatReport(result)).toMatch(/Schema check passed\.$/);
});

it('fails a field a registered operation selects, removed from a subgraph without deprecation', async () => {
  const result = await check(edit('catalog', /\n\s*synopsis: String!/, ''));
  expect(result.pass).toBe(false);
  const removed = result.api!.changes.find((c) => c.id === 'FIELD_REMOVED:Title.synopsis');
  expect(removed).toMatchObject({ level: 'breaking', pass: false });
  expect(removed!.operations).toEqual(expect.arrayContaining([
    { operation: 'TitleDetails', how: 'selects Title.synopsis' }, { operation: 'PublicTitleDetails', how: 'selects Title.synopsis' },
  ]));
  expect(result.api!.invalidOperations.map((o) => o.operation).sort()).toEqual(['PublicTitleDetails', 'TitleDetails']);
  expect(result.subgraphChanges).toContainEqual({ subgraph: 'catalog', level: 'breaking', message: "Field 'synopsis' was removed from object type 'Title'" });
  const report = formatReport(result);
  expect(report).toMatch(/FAIL {2}\[breaking\] Field 'synopsis' was removed from object type 'Title' {3}\(FIELD_REMOVED:Title.synopsis\)/);
  expect(report).toMatch(/operation TitleDetails: selects Title.synopsis/);
  expect(report).toMatch(/Schema check FAILED/);
});

it('passes a field added to a subgraph', async () => {
  const result = await check(edit('catalog', 'type Genre @key(fields: "id") @cacheControl(maxAge: 3600) {', 'type Genre @key(fields: "id") @cacheControl(maxAge: 3600) {\n  "How many titles the genre has."\n  titleCount: Int'));
  expect(result.pass).toBe(true);
  expect(result.api!.changes.map((c) => [c.id, c.level])).toContainEqual(['FIELD_ADDED:Genre.titleCount', 'safe']);
});

it('fails when the subgraphs no longer compose, with composition\'s own message', async () => {
  const result = await check(edit('recommendation', '@requires(fields: "maturityRating myList { id } account { country }")', '@requires(fields: "noSuchField")'));
  expect(result.pass).toBe(false);
  expect(result.compositionErrors).toMatch(/Supergraph composition failed:\n.*noSuchField/);
  expect(result.api).toBeUndefined();
  expect(formatReport(result)).toMatch(/FAIL {2}composition: the subgraphs do not compose/);
});

describe('npm run schema:check', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'schema-check-cli-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const spies = [jest.spyOn(console, 'log').mockImplementation((m) => void out.push(String(m))), jest.spyOn(console, 'error').mockImplementation((m) => void out.push(String(m)))];
    try {
      return { code: await main(args, ROOT), output: out.join('\n') };
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
  };

  it('compares the working tree with a ref and prints JSON for tools (in CI the tree is HEAD: it passes)', async () => {
    const { code, output } = await run('--base', 'HEAD', '--json');
    const result = JSON.parse(output);
    expect(result).toMatchObject({ base: 'HEAD (given with --base)', pass: true });
    expect(code).toBe(0);
  });

  it('refuses a file that is not a usage export, and bad arguments, with exit 2', async () => {
    const bogus = path.join(dir, 'metrics.txt');
    writeFileSync(bogus, 'graphql_field_usage_total{type="Query",field="title",client_name="ios"} 3\n');
    expect(await run('--usage', bogus)).toEqual({ code: 2, output: expect.stringMatching(/is not JSON: give a file written by npm run usage:export/) });
    expect(await run('--window', 'soon')).toEqual({ code: 2, output: '--window must be a number of days, got "soon"' });
    expect((await run('--no-such-flag')).code).toBe(2);
  });
});
