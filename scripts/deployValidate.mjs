#!/usr/bin/env node
// `npm run deploy:validate [-- <dir>]`: deploy/'s Kubernetes manifests against the API schemas and
// each other (scripts/deploy/validateManifests.mjs). No cluster needed. Exit 1 on any problem.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readManifests, validateManifests } from './deploy/validateManifests.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.resolve(process.argv[2] ?? path.join(root, 'deploy'));
const problems = await validateManifests(dir);
if (problems.length) {
  console.error(`deploy:validate: ${problems.length} problem(s) in ${path.relative(process.cwd(), dir) || dir}:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`deploy:validate: ${readManifests(dir).length} objects in ${path.relative(process.cwd(), dir) || dir} are valid Kubernetes API objects and agree with each other`);
