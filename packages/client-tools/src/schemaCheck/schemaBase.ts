import { execFileSync } from 'node:child_process';
import type { SubgraphSdl } from '@streaming/gateway/dist/composeSupergraph';

/** The subgraph schemas, wherever they live in the repository. */
export const SCHEMA_PATHSPEC = 'subgraphs/*/schema.graphql';
const SCHEMA_FILE = /^subgraphs\/([^/]+)\/schema\.graphql$/;

export type BaseResolution =
  | { kind: 'found'; commit: string; description: string; subgraphs: SubgraphSdl[] }
  | { kind: 'skip'; reason: string };

/**
 * The base the working tree's schemas are compared with.
 *
 * `--base <ref>`: that ref. Without it, the schemas as they were before the latest schema change:
 * - the working tree changes a schema (a developer's uncommitted edit): HEAD;
 * - else: the first parent of the newest commit, following first parents from HEAD (main's own
 *   line: a merged branch counts as its merge commit, judged as one change), that touched a
 *   subgraph schema. In CI on a clean clone of main that commit is often HEAD itself: the check
 *   then judges the change HEAD brought, not an empty diff of HEAD against itself.
 *
 * A shallow clone may not hold that commit or its parent: then the check says so and is skipped,
 * rather than failing on history it was never given (`git fetch --unshallow` brings it).
 */
export function resolveBase(cwd: string, base?: string): BaseResolution {
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const tryGit = (...args: string[]): string | undefined => {
    try {
      return git(...args);
    } catch {
      return undefined;
    }
  };
  const shallow = tryGit('rev-parse', '--is-shallow-repository') === 'true';
  const unshallow = 'This is a shallow clone (git fetch --unshallow, or clone without --depth, brings the history)';
  let commit: string | undefined;
  let description: string;
  if (base) {
    commit = tryGit('rev-parse', '--verify', '--quiet', `${base}^{commit}`);
    if (!commit) {
      if (shallow) return { kind: 'skip', reason: `${unshallow}: ${base} is not in it. Schema check skipped.` };
      throw new Error(`--base ${base} is not a commit in this repository`);
    }
    description = `${base} (given with --base)`;
  } else if (tryGit('status', '--porcelain', '--', SCHEMA_PATHSPEC)) {
    commit = git('rev-parse', 'HEAD');
    description = 'HEAD (the working tree changes a subgraph schema)';
  } else {
    const last = tryGit('log', '--first-parent', '-1', '--format=%H', 'HEAD', '--', SCHEMA_PATHSPEC);
    if (!last) {
      return { kind: 'skip', reason: shallow ? `${unshallow}: no schema-changing commit in it. Schema check skipped.` : 'No commit changed a subgraph schema: nothing to compare with. Schema check skipped.' };
    }
    commit = tryGit('rev-parse', '--verify', '--quiet', `${last}^1`);
    const subject = git('log', '-1', '--format=%h %s', last).slice(0, 100);
    if (!commit) {
      return {
        kind: 'skip',
        reason: shallow
          ? `${unshallow}: the commit before the last schema change (${subject}) is not in it. Schema check skipped.`
          : `The last schema change (${subject}) is the first commit: nothing earlier to compare with. Schema check skipped.`,
      };
    }
    description = `${commit.slice(0, 12)}, the commit before the last schema change on this line (${subject})`;
  }
  const files = git('ls-tree', '-r', '--name-only', commit, '--', 'subgraphs').split('\n').filter((f) => SCHEMA_FILE.test(f));
  const subgraphs = files.map((file) => ({ name: SCHEMA_FILE.exec(file)![1], sdl: git('show', `${commit}:${file}`) }));
  return { kind: 'found', commit, description, subgraphs };
}
