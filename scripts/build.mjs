#!/usr/bin/env node
// `npm run build` (and the first thing `npm start`, `npm test` and `npm run bench` do): generate
// Prisma clients and resolver types, `tsc -b`, compose the supergraph, write the persisted-query
// manifest. A step whose inputs haven't changed since it last ran is skipped (content hashes,
// scripts/lib/buildSteps.mjs); steps that don't depend on each other run at the same time.
// `--force` runs every step.
import { clientKitStep, clientKitTscStep, composeStep, generateSteps, manifestStep, runStep, runSteps, tscStep } from './lib/buildSteps.mjs';

const force = process.argv.includes('--force');
const started = Date.now();
const results = [];
try {
  // Generation and the manifest (operations only) don't depend on each other; tsc needs the
  // generated types; composition runs the compiled composer; the client kit needs both.
  results.push(...(await Promise.all([runSteps(generateSteps(), { force }), runSteps([manifestStep()], { force })])).flat());
  results.push(['tsc', await runStep(tscStep())]);
  results.push(['compose', await runStep(composeStep(), { force, verbose: true })]);
  // The typed client kit reads the supergraph and the manifest; then it is compiled again.
  results.push(['client-kit', await runStep(clientKitStep(), { force })]);
  results.push(['tsc-client', await runStep(clientKitTscStep())]);
} catch (err) {
  console.error(`build: ${err.message}`);
  process.exit(1);
}
const ran = results.filter(([name, how]) => how === 'ran' && !name.startsWith('tsc')).map(([name]) => name);
console.log(`build: ${((Date.now() - started) / 1000).toFixed(1)} s; ${ran.length ? `ran ${ran.join(', ')}` : 'generated files, supergraph and manifest up to date'}; tsc -b`);
