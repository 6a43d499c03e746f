import { createStreamingClient } from '@streaming/client';
import { reportDegraded } from './degraded';
import { tokens } from './session';

/** One Apollo Client for the app: the kit's links and cache policies, the gateway behind /graphql. */
export const client = createStreamingClient({ uri: '/graphql', tokens, onDegraded: reportDegraded });
