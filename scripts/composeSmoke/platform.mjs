// The compiled platform package (npm run build), for the few of its helpers this check shares.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const platform = createRequire(import.meta.url)(path.join(ROOT, 'packages/platform/dist/index.js'));

export const { SUBGRAPH_NAMES, envPrefix, deleteKeysWithPrefix } = platform;
