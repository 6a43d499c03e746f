import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveBase } from './schemaBase';

/**
 * Which base the check compares with, in throwaway git repositories: the parent of the newest
 * schema-changing commit on the first-parent line (HEAD itself, in CI on main), HEAD when the
 * working tree changes a schema, and a clear skip in a shallow clone.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function repo() {
  const dir = mkdtempSync(path.join(tmpdir(), 'schema-base-'));
  dirs.push(dir);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  git('init', '-q');
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  const commit = (message: string, files: Record<string, string>) => {
    for (const [file, text] of Object.entries(files)) write(file, text);
    git('add', '-A');
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  return { dir, git, write, commit };
}

const schema = (field: string) => `type Query { ${field}: String }`;

it('compares with the parent of the newest commit that changed a schema, HEAD itself included', () => {
  const r = repo();
  r.commit('first', { 'subgraphs/a/schema.graphql': schema('one'), 'README.md': 'x' });
  const before = r.commit('docs', { 'README.md': 'y' });
  const change = r.commit('schema change', { 'subgraphs/a/schema.graphql': schema('two') });
  const atHead = resolveBase(r.dir);
  expect(atHead).toMatchObject({ kind: 'found', commit: before, subgraphs: [{ name: 'a', sdl: schema('one') }] });
  expect(atHead.kind === 'found' && atHead.description).toMatch(/the commit before the last schema change on this line \(\w+ schema change\)/);
  r.commit('later docs', { 'README.md': 'z' });
  expect(resolveBase(r.dir)).toMatchObject({ kind: 'found', commit: before });
  void change;
});

it('judges a merged branch as one change: the base is the merge commit\'s first parent', () => {
  const r = repo();
  r.commit('first', { 'subgraphs/a/schema.graphql': schema('one') });
  const mainBefore = r.commit('main work', { 'README.md': 'm' });
  r.git('checkout', '-q', '-b', 'feature');
  r.commit('branch schema 1', { 'subgraphs/a/schema.graphql': schema('two') });
  r.commit('branch schema 2', { 'subgraphs/b/schema.graphql': schema('three') });
  r.git('checkout', '-q', 'main');
  r.git('merge', '-q', '--no-ff', '-m', 'Merge feature', 'feature');
  const base = resolveBase(r.dir);
  expect(base).toMatchObject({ kind: 'found', commit: mainBefore, subgraphs: [{ name: 'a', sdl: schema('one') }] });
});

it('compares with HEAD when the working tree changes a schema', () => {
  const r = repo();
  r.commit('first', { 'subgraphs/a/schema.graphql': schema('one') });
  const head = r.commit('second', { 'subgraphs/a/schema.graphql': schema('two') });
  r.write('subgraphs/a/schema.graphql', schema('three'));
  expect(resolveBase(r.dir)).toMatchObject({ kind: 'found', commit: head, subgraphs: [{ name: 'a', sdl: schema('two') }] });
});

it('takes --base, and refuses a ref that does not exist', () => {
  const r = repo();
  const first = r.commit('first', { 'subgraphs/a/schema.graphql': schema('one') });
  r.commit('second', { 'subgraphs/a/schema.graphql': schema('two') });
  r.git('tag', 'v1', first);
  expect(resolveBase(r.dir, 'v1')).toMatchObject({ kind: 'found', commit: first, description: 'v1 (given with --base)' });
  expect(() => resolveBase(r.dir, 'no-such-ref')).toThrow(/--base no-such-ref is not a commit/);
});

it('skips with a reason when the only schema change is the first commit', () => {
  const r = repo();
  r.commit('first', { 'subgraphs/a/schema.graphql': schema('one') });
  expect(resolveBase(r.dir)).toEqual({ kind: 'skip', reason: expect.stringMatching(/is the first commit: nothing earlier to compare with\. Schema check skipped\./) });
});

it('skips in a shallow clone, saying so, instead of failing', () => {
  const r = repo();
  r.commit('first', { 'subgraphs/a/schema.graphql': schema('one') });
  r.commit('second', { 'subgraphs/a/schema.graphql': schema('two') });
  const clone = mkdtempSync(path.join(tmpdir(), 'schema-shallow-'));
  dirs.push(clone);
  execFileSync('git', ['clone', '-q', '--depth', '1', `file://${r.dir}`, clone], { stdio: 'ignore' });
  expect(resolveBase(clone)).toEqual({ kind: 'skip', reason: expect.stringMatching(/^This is a shallow clone \(git fetch --unshallow.*Schema check skipped\.$/) });
  expect(resolveBase(clone, 'HEAD~1')).toEqual({ kind: 'skip', reason: expect.stringMatching(/shallow clone.*HEAD~1 is not in it/) });
});
