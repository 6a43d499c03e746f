// Hive Gateway on Hive Router's runtime: its Rust query planner (a native addon shipped inside
// @graphql-hive/router-query-planner, nothing downloaded at install) with its TypeScript executor,
// instead of the default stitching runtime. Otherwise as plain Hive (hive.config.mjs): the
// Authorization header goes on to the subgraphs.
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { gatewayConfig as plain } from './hive.config.mjs';

export const gatewayConfig = { ...plain, unifiedGraphHandler };
