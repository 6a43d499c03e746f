// The build's steps, each run only when it is out of date: a step records a SHA-256 of its inputs
// (files, and the package.json of the tools it runs, so an upgraded tool counts as a change) and
// of its outputs in node_modules/.cache/streaming-build/<step>.json; it is skipped when both still
// match. So a restart with nothing changed costs a few hashes, an edited schema regenerates what
// depends on it, and a fresh install (new node_modules, no records) builds everything. Steps
// that don't depend on each other run in parallel.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RECORDS = path.join(ROOT, 'node_modules/.cache/streaming-build');
const SUBGRAPHS = ['profile', 'catalog', 'playback-session', 'recommendation'];
const bin = (name) => path.join(ROOT, 'node_modules/.bin', name);
const tool = (name) => `node_modules/${name}/package.json`;
const THIS_FILE = path.relative(ROOT, fileURLToPath(import.meta.url));

// `prisma generate` never runs the schema engine, but the CLI insists on having one and would
// download it; pointing it at any existing file skips that download (offline CI, firewalls).
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || fileURLToPath(import.meta.url), PRISMA_HIDE_UPDATE_MESSAGE: '1' };

/** Every file under a path (itself, if a file), sorted, relative to the root. */
function filesUnder(relative) {
  const full = path.join(ROOT, relative);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [relative];
  return readdirSync(full, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => filesUnder(path.join(relative, entry.name)));
}

/** One hash over the names and contents of the files under these paths; undefined if one is missing. */
function hashOf(paths) {
  const hash = createHash('sha256');
  for (const p of paths) {
    const files = filesUnder(p);
    if (files.length === 0) return undefined;
    for (const f of files) hash.update(`${f}\0`).update(readFileSync(path.join(ROOT, f))).update('\0');
  }
  return hash.digest('hex');
}

const globDir = (dir, suffix) => readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith(suffix)).sort().map((f) => path.join(dir, f));

/** The build's steps: { name, inputs, outputs, command, args }. */
export function generateSteps() {
  return [
    ...SUBGRAPHS.map((name) => ({
      name: `prisma-${name}`,
      inputs: [`prisma/${name}/schema.prisma`, tool('prisma'), tool('@prisma/client'), THIS_FILE],
      outputs: [`subgraphs/${name}/src/__generated__/prisma`],
      command: bin('prisma'),
      args: ['generate', '--schema', `prisma/${name}/schema.prisma`],
    })),
    {
      name: 'codegen',
      inputs: ['codegen.yml', ...SUBGRAPHS.map((n) => `subgraphs/${n}/schema.graphql`), tool('@graphql-codegen/cli'), tool('@graphql-codegen/typescript'), tool('@graphql-codegen/typescript-resolvers'), THIS_FILE],
      outputs: SUBGRAPHS.map((n) => `subgraphs/${n}/src/__generated__/resolvers-types.ts`),
      command: bin('graphql-codegen'),
      args: ['--config', 'codegen.yml', '--silent'],
    },
  ];
}

export const manifestStep = () => ({
  name: 'persisted-query-manifest',
  inputs: ['persisted-query-manifest.config.json', ...globDir('operations', '.graphql'), tool('@apollo/generate-persisted-query-manifest'), THIS_FILE],
  outputs: ['gateway/persisted-query-manifest.json'],
  command: bin('generate-persisted-query-manifest'),
  args: [],
});

// After tsc: it runs the compiled composer. Its inputs are the sources that decide the result.
export const composeStep = () => ({
  name: 'compose',
  inputs: [...SUBGRAPHS.map((n) => `subgraphs/${n}/schema.graphql`), 'gateway/src/compose.ts', 'gateway/src/composeSupergraph.ts', 'packages/platform/src/config.ts', tool('@apollo/composition'), THIS_FILE],
  outputs: ['gateway/supergraph.graphql'],
  command: process.execPath,
  args: ['gateway/dist/compose.js'],
});

// After compose: the client kit's generated part (scripts/clientKit.mjs) is made from the composed
// supergraph, the operations and the manifest. Its output is committed; CI checks it for drift.
export const clientKitStep = () => ({
  name: 'client-kit',
  inputs: ['gateway/supergraph.graphql', 'gateway/persisted-query-manifest.json', ...globDir('operations', '.graphql'), 'packages/client/codegen.yml', 'scripts/clientKit.mjs', tool('@graphql-codegen/cli'), tool('@graphql-codegen/client-preset'), tool('@apollo/federation-internals'), THIS_FILE],
  outputs: ['packages/client/schema.graphql', 'packages/client/src/__generated__'],
  command: process.execPath,
  args: ['scripts/clientKit.mjs'],
});

// Always run: tsc -b is incremental by itself (a no-op build takes about a second).
export const tscStep = () => ({ name: 'tsc', command: bin('tsc'), args: ['-b'], always: true });
/** The kit again, after its step: a changed operation reaches its compiled types in the same build. */
export const clientKitTscStep = () => ({ name: 'tsc-client', command: bin('tsc'), args: ['-b', 'packages/client'], always: true });

function exec(step) {
  return new Promise((resolve, reject) => {
    const child = spawn(step.command, step.args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => { output += c; });
    child.stderr.on('data', (c) => { output += c; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(Object.assign(new Error(`${step.name}: ${path.basename(step.command)} ${step.args.join(' ')} failed (${code})`), { output }))));
  });
}

/**
 * Runs a step unless its record says it is up to date (or `force`). Returns 'ran' or 'skipped'.
 * Output of a step that ran is echoed when `verbose`, and always when it fails.
 */
export async function runStep(step, { force = false, verbose = false } = {}) {
  const recordPath = path.join(RECORDS, `${step.name}.json`);
  let inputs;
  if (!step.always) {
    inputs = hashOf(step.inputs);
    if (!force && inputs && existsSync(recordPath)) {
      const record = JSON.parse(readFileSync(recordPath, 'utf8'));
      if (record.inputs === inputs && record.outputs === hashOf(step.outputs)) return 'skipped';
    }
  }
  try {
    const output = await exec(step);
    if (verbose && output.trim()) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
  } catch (err) {
    if (err.output) process.stderr.write(err.output);
    throw err;
  }
  if (!step.always && inputs) {
    mkdirSync(RECORDS, { recursive: true });
    writeFileSync(recordPath, `${JSON.stringify({ inputs, outputs: hashOf(step.outputs) })}\n`);
  }
  return 'ran';
}

export const runSteps = (steps, options) => Promise.all(steps.map((s) => runStep(s, options).then((how) => [s.name, how])));
