import '@streaming/platform/dist/observability/register';
import { runSubgraphProcess } from '@streaming/platform';
import { catalogSubgraph } from './server';

void runSubgraphProcess(catalogSubgraph);
