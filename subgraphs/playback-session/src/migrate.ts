// The migration Job's entry point: applies this subgraph's committed migrations, then exits.
import { runMigrationProcess } from '@streaming/platform';

void runMigrationProcess('playback-session');
