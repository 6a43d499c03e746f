import { runSubgraphProcess } from '@streaming/shared';
import { playbackSessionSubgraph } from './server';

void runSubgraphProcess(playbackSessionSubgraph);
