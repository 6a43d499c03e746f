// Hive Gateway's only departure from its defaults in the bench: clients authenticate, so the
// Authorization header goes on to the subgraphs (which verify it), as every gateway here must,
// with the deployment's internal credential beside it.
import { internalCredentialHeaders } from './internalCredential.mjs';

export const gatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs: ({ request, subgraphName }) => ({
      authorization: request.headers.get('authorization') ?? undefined,
      ...internalCredentialHeaders(subgraphName),
    }),
  },
};
