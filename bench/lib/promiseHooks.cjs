// Preloaded into the gateway by `--gateways ours-promise-hooks`: turns on what an
// AsyncLocalStorage in use costs on Node 20, async_hooks' promise hooks on every promise of the
// process (the servers keep none for that reason: packages/platform/src/observability/requestContext.ts).
const { AsyncLocalStorage } = require('node:async_hooks');

new AsyncLocalStorage().enterWith({});
