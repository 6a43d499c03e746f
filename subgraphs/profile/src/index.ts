import '@streaming/platform/dist/observability/register';
import { runSubgraphProcess } from '@streaming/platform';
import { profileSubgraph } from './server';

void runSubgraphProcess(profileSubgraph);
