import '@streaming/shared/dist/observability/register';
import { runSubgraphProcess } from '@streaming/shared';
import { catalogSubgraph } from './server';

void runSubgraphProcess(catalogSubgraph);
