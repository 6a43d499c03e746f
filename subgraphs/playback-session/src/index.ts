import '@streaming/platform/dist/observability/register';
import { runSubgraphProcess } from '@streaming/platform';
import { playbackSessionSubgraph } from './server';

void runSubgraphProcess(playbackSessionSubgraph);
