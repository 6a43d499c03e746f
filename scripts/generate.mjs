#!/usr/bin/env node
// Generates what the build compiles against: each subgraph's Prisma client and its typed
// resolvers, in parallel. Runs on install and before every build (so types are never stale), and
// skips what is already up to date with its inputs (scripts/lib/buildSteps.mjs); `--force`
// regenerates everything.
import { generateSteps, runSteps } from './lib/buildSteps.mjs';

const force = process.argv.includes('--force');
try {
  const results = await runSteps(generateSteps(), { force });
  const ran = results.filter(([, how]) => how === 'ran').map(([name]) => name);
  console.log(`generate: ${ran.length ? `regenerated ${ran.join(', ')}` : 'Prisma clients and resolver types up to date'}`);
} catch (err) {
  console.error(`generate: ${err.message}`);
  process.exit(1);
}
