/** What other workspaces (a client kit, a browser test) reuse: the mock server and the check's parts. */
export { createMockServer, type MockServer, type MockServerOptions } from './mock/createMockServer';
export { createMockSchema } from './mock/createMockSchema';
export { judgeChanges, type Approval, type ChangeVerdict, type Judgement } from './schemaCheck/judgeChanges';
export { runSchemaCheck, type SchemaCheckResult } from './schemaCheck/runSchemaCheck';
export { mergeUsage, parseUsageFile, usageFromMetricsText, type FieldUsageFile } from './usage/fieldUsage';
