import { writeFileSync } from 'node:fs';
import { composeSupergraph } from './composeSupergraph';
import { DEFAULT_SUPERGRAPH_PATH } from './config';

/** `npm run compose`: writes gateway/supergraph.graphql; exits non-zero with the composition errors. */
try {
  writeFileSync(DEFAULT_SUPERGRAPH_PATH, composeSupergraph());
  console.log(`composed ${DEFAULT_SUPERGRAPH_PATH}`);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
