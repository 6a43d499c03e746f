import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The build's up-to-date check (scripts/lib/buildSteps.mjs), on a step of its own: it runs the
 * first time, is skipped while its inputs and outputs are unchanged, and runs again when an input
 * changes, when its output was changed or deleted, and when forced. What makes a restart's build
 * take seconds must never skip a step that has something to do.
 */
const root = path.resolve(__dirname, '..');
const dir = path.join(root, 'node_modules/.cache', `build-steps-test-${process.pid}`);
const rel = (f: string) => path.relative(root, path.join(dir, f));

beforeAll(() => mkdirSync(dir, { recursive: true }));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(path.join(root, 'node_modules/.cache/streaming-build', `test-step-${process.pid}.json`), { force: true });
});

/** Runs the step in a child (the module is ESM); returns 'ran' or 'skipped'. */
function runStep(force = false): string {
  const step = {
    name: `test-step-${process.pid}`,
    inputs: [rel('input.txt')],
    outputs: [rel('output.txt')],
    command: process.execPath,
    // Copies the input to the output and counts its runs.
    args: ['-e', `const fs = require('fs'); fs.writeFileSync(${JSON.stringify(path.join(dir, 'output.txt'))}, fs.readFileSync(${JSON.stringify(path.join(dir, 'input.txt'))})); fs.appendFileSync(${JSON.stringify(path.join(dir, 'runs.txt'))}, 'x')`],
  };
  const script = `import { runStep } from ${JSON.stringify(path.join(root, 'scripts/lib/buildSteps.mjs'))}; console.log(await runStep(${JSON.stringify(step)}, { force: ${force} }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
}

it('skips a step only while its inputs and outputs are what it last saw', () => {
  writeFileSync(path.join(dir, 'input.txt'), 'one');
  expect(runStep()).toBe('ran');
  expect(runStep()).toBe('skipped');
  writeFileSync(path.join(dir, 'input.txt'), 'two');
  expect(runStep()).toBe('ran');
  expect(readFileSync(path.join(dir, 'output.txt'), 'utf8')).toBe('two');
  expect(runStep()).toBe('skipped');
  appendFileSync(path.join(dir, 'output.txt'), ' edited by hand');
  expect(runStep()).toBe('ran');
  rmSync(path.join(dir, 'output.txt'));
  expect(runStep()).toBe('ran');
  expect(runStep(true)).toBe('ran');
  expect(readFileSync(path.join(dir, 'runs.txt'), 'utf8')).toBe('xxxxx');
});
