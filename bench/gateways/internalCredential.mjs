// The subgraphs run in production, where they answer only callers presenting the deployment's
// internal credential (README, "Internal credential"). The stock and Hive gateways get the same
// credential ours sends, from the platform's signer (signed per subgraph, reused until renewal),
// so every gateway in the bench pays the same for it and the subgraphs verify the same.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { internalAuthConfigFromEnv, InternalCredentialSigner, INTERNAL_CREDENTIAL_HEADER } = createRequire(import.meta.url)(path.join(root, 'packages/platform/dist/index.js'));

const config = internalAuthConfigFromEnv(process.env);
const signer = config && new InternalCredentialSigner(config, 'gateway');

/** Headers to add to a fetch to `subgraph` (none when the run has no internal secret). */
export function internalCredentialHeaders(subgraph) {
  return signer ? { [INTERNAL_CREDENTIAL_HEADER]: signer.credentialFor(subgraph) } : {};
}
