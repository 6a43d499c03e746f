#!/usr/bin/env node
// Runs the differential test (test/differential.test.ts) standalone with another seed, size or
// executor, and prints the first divergences in full:
//   npm run difftest -- --seed 7 --count 3000 --show 5 [--executor ours|stock] [--concurrency 4] [--timeout-ms 2000]
//   npm run difftest -- --seed 7 --only 17,42 --no-committed   (just those generated documents, to reproduce one)
// Every divergence is also written to .data/difftest/divergences-seed-<seed>.txt (or --report FILE).
// Runs from source through jest (ts-jest), like `npm test`: no build needed for gateway changes.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FLAGS = {
  '--seed': 'DIFFTEST_SEED',
  '--count': 'DIFFTEST_COUNT',
  '--show': 'DIFFTEST_SHOW',
  '--executor': 'DIFFTEST_EXECUTOR',
  '--concurrency': 'DIFFTEST_CONCURRENCY',
  '--timeout-ms': 'DIFFTEST_TIMEOUT_MS',
  '--report': 'DIFFTEST_REPORT',
  '--only': 'DIFFTEST_ONLY',
  '--progress': 'DIFFTEST_PROGRESS',
};

const env = { DIFFTEST_PROGRESS: '250', ...process.env };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 1) {
  const [flag, inline] = args[i].split('=');
  if (flag === '--no-committed') {
    env.DIFFTEST_COMMITTED = 'false';
    continue;
  }
  const name = FLAGS[flag];
  if (!name) {
    console.error(`unknown option ${args[i]}; options: ${Object.keys(FLAGS).join(', ')}, --no-committed`);
    process.exit(2);
  }
  const value = inline ?? args[(i += 1)];
  if (value === undefined) {
    console.error(`${flag} needs a value`);
    process.exit(2);
  }
  env[name] = value;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const result = spawnSync(process.execPath, [
  '--experimental-vm-modules', '--disable-warning=ExperimentalWarning', 'node_modules/jest/bin/jest.js',
  '--runInBand', 'test/differential.test.ts',
], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
