import type { GatewayGraphQLRequest } from '@apollo/server-gateway-interface';
import { CLIENT_ADDRESS_HEADER } from '@streaming/platform/core';
import type { GatewayContext } from './gatewayContext';

/**
 * Tells the subgraph which client address the request is on behalf of (the one the gateway's
 * own rate limit counts), so that the profile subgraph can limit password guessing per address.
 * Always overwritten or removed here: whatever the outgoing request held, only the gateway's
 * own reading of the connection reaches the subgraph.
 */
export function forwardClientAddress(request: GatewayGraphQLRequest, context: Partial<GatewayContext> | undefined): void {
  const headers = request.http?.headers;
  if (!headers) return;
  if (context?.clientAddress) headers.set(CLIENT_ADDRESS_HEADER, context.clientAddress);
  else headers.delete(CLIENT_ADDRESS_HEADER);
}
