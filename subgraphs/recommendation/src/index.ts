import '@streaming/shared/dist/observability/register';
import { runSubgraphProcess } from '@streaming/shared';
import { recommendationSubgraph } from './server';

void runSubgraphProcess(recommendationSubgraph);
