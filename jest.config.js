/**
 * One jest run for unit tests (beside the code) and integration tests (test/). Integration
 * tests start the real subgraphs and gateway against the Postgres and Redis on localhost.
 * Type checking is `npm run typecheck`'s job; ts-jest only transpiles, which keeps runs fast.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/subgraphs', '<rootDir>/gateway', '<rootDir>/test', '<rootDir>/bench'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
  moduleNameMapper: {
    '^@streaming/platform$': '<rootDir>/packages/platform/src/index.ts',
    '^@streaming/platform/core$': '<rootDir>/packages/platform/src/core.ts',
    '^@streaming/demo-data$': '<rootDir>/packages/demo-data/src/index.ts',
    '^@streaming/testing$': '<rootDir>/packages/testing/src/index.ts',
    '^@streaming/client$': '<rootDir>/packages/client/src/index.ts',
    // client-tools imports the gateway's modules by their built path; tests read the sources.
    '^@streaming/gateway/dist/(.*)$': '<rootDir>/gateway/src/$1',
  },
  testTimeout: 120_000,
  // Each integration file starts its own supergraph; two at a time is what two cores take.
  maxWorkers: 2,
  // A worker keeps what every test file before it loaded (each file gets its own module registry:
  // Prisma clients, schemas, the whole stack), and a full run saw one reach 900 MB of live heap
  // before the abuse suite ran in it. A worker past this after a file is replaced by a fresh one.
  workerIdleMemoryLimit: '512MB',
};
