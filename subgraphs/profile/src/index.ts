import '@streaming/shared/dist/observability/register';
import { runSubgraphProcess } from '@streaming/shared';
import { profileSubgraph } from './server';

void runSubgraphProcess(profileSubgraph);
