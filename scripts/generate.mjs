#!/usr/bin/env node
// Generates what the build compiles against: each subgraph's Prisma client and its typed
// resolvers. Runs on install, before every build and before tests, so types are never stale.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const subgraphs = ['profile', 'catalog', 'playback-session', 'recommendation'];
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

// `prisma generate` never runs the schema engine, but the CLI insists on having one and would
// download it; pointing it at any existing file skips that download (offline CI, firewalls).
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || fileURLToPath(import.meta.url), PRISMA_HIDE_UPDATE_MESSAGE: '1' };

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) {
    process.stdout.write(result.stdout ?? '');
    console.error(`generate: ${path.basename(command)} ${args.join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
}

for (const name of subgraphs) run(bin('prisma'), ['generate', '--schema', `prisma/${name}/schema.prisma`]);
run(bin('graphql-codegen'), ['--config', 'codegen.yml', '--silent']);
console.log(`generate: Prisma clients and resolver types for ${subgraphs.join(', ')}`);
