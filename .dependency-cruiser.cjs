/**
 * The architecture, checked (`npm run lint:architecture`, run in .ci/run). Each rule is one line
 * of the README's "Boundaries" list; a change that breaks one fails CI with the offending import.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const SUBGRAPH_PACKAGES = '@streaming/(profile|catalog|playback-session|recommendation)(/|$)';

module.exports = {
  forbidden: [
    {
      name: 'no-cross-subgraph',
      comment: 'A subgraph never imports another subgraph: data crosses domains only as entities, through the gateway.',
      severity: 'error',
      from: { path: '^subgraphs/([^/]+)/' },
      to: { path: ['^subgraphs/', SUBGRAPH_PACKAGES], pathNot: ['^subgraphs/$1/', '@streaming/$1(/|$)'] },
    },
    {
      name: 'gateway-imports-no-subgraph',
      comment: 'The gateway knows subgraphs only by URL and the composed supergraph.',
      severity: 'error',
      from: { path: '^gateway/' },
      to: { path: ['^subgraphs/', SUBGRAPH_PACKAGES] },
    },
    {
      name: 'client-tools-import-no-subgraph',
      comment: 'The schema check and the mock know the API only through composition and the schema files, as client teams do.',
      severity: 'error',
      from: { path: '^packages/client-tools/' },
      to: { path: ['^subgraphs/', SUBGRAPH_PACKAGES] },
    },
    {
      name: 'client-kit-is-client-side',
      comment: 'The client kit ships in apps: it knows the API only through its generated documents and the manifest ids, never server code.',
      severity: 'error',
      from: { path: '^packages/client/' },
      to: { path: ['^subgraphs/', '^gateway/', '^packages/(platform|testing|demo-data|embedded|client-tools)/', SUBGRAPH_PACKAGES, '@streaming/(gateway|platform|testing|demo-data|embedded|client-tools)(/|$)'] },
    },
    {
      name: 'platform-imports-no-subgraph',
      comment: 'The shared packages serve every subgraph and know none of them.',
      severity: 'error',
      from: { path: '^packages/(platform|demo-data|testing)/' },
      to: { path: ['^subgraphs/', '^gateway/', SUBGRAPH_PACKAGES, '@streaming/gateway(/|$)'] },
    },
    {
      name: 'prisma-only-in-repositories',
      comment:
        'Only repositories/ and seeds use a Prisma client; prisma.ts creates it and the composition roots (server.ts, the job entry point) hand it over.',
      severity: 'error',
      from: {
        path: '^subgraphs/[^/]+/src/',
        pathNot: '^subgraphs/[^/]+/src/(repositories/|seed\\.ts$|prisma\\.ts$|server\\.ts$|jobs/similarityJob\\.ts$|__generated__/)',
      },
      to: { path: ['^subgraphs/[^/]+/src/prisma\\.ts$', '^subgraphs/[^/]+/src/__generated__/prisma/', '@prisma/client'] },
    },
    {
      name: 'demo-data-only-in-seeds',
      comment: 'The demo dataset is seed input: request paths never import it.',
      severity: 'error',
      from: { path: '^(subgraphs|gateway|packages/(platform|embedded))/', pathNot: '^subgraphs/[^/]+/src/seed\\.ts$' },
      to: { path: ['^packages/demo-data/', '@streaming/demo-data(/|$)'] },
    },
    {
      name: 'testing-only-in-tests',
      comment: 'Test helpers never ship: production code does not import @streaming/testing.',
      severity: 'error',
      from: { path: '^(subgraphs|gateway|packages/(platform|demo-data|embedded))/', pathNot: '\\.test\\.ts$' },
      to: { path: ['^packages/testing/', '@streaming/testing(/|$)'] },
    },
    {
      name: 'no-async-context',
      comment: 'No AsyncLocalStorage or async_hooks in the servers: on Node 20, one in use puts promise hooks on every promise of the process (a quarter of playback\'s CPU per home screen; observability/requestContext.ts). Pass what a request needs as arguments.',
      severity: 'error',
      from: { path: '^(subgraphs|gateway|packages/(platform|embedded))/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'], path: '^(node:)?async_hooks$' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles (type-only imports excluded: they vanish at compile time, and codegen mappers need them).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    // Generated code is read as a leaf: its own imports (including back into domain.ts for the
    // codegen mappers) are codegen's business, not an architecture decision.
    doNotFollow: { path: ['node_modules', '__generated__'] },
    exclude: { path: ['/dist/', '\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    combinedDependencies: false,
  },
};
