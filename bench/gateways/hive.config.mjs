// Hive Gateway's only departure from its defaults in the bench: clients authenticate, so the
// Authorization header goes on to the subgraphs (which verify it), as every gateway here must.
export const gatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') ?? undefined }),
  },
};
