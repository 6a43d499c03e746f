import { runSubgraphProcess } from '@streaming/shared';
import { recommendationSubgraph } from './server';

void runSubgraphProcess(recommendationSubgraph);
