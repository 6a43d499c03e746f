import '@streaming/platform/dist/observability/register';
import { runSubgraphProcess } from '@streaming/platform';
import { recommendationSubgraph } from './server';

void runSubgraphProcess(recommendationSubgraph);
