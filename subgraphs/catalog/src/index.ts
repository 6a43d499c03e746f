import { runSubgraphProcess } from '@streaming/shared';
import { catalogSubgraph } from './server';

void runSubgraphProcess(catalogSubgraph);
