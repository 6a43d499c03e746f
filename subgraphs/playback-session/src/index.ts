import '@streaming/shared/dist/observability/register';
import { runSubgraphProcess } from '@streaming/shared';
import { playbackSessionSubgraph } from './server';

void runSubgraphProcess(playbackSessionSubgraph);
