import { CLIENT_ADDRESS_HEADER } from '@streaming/platform/core';
import type { GatewayContext } from './gatewayContext';

/**
 * Tells the subgraph which client address the request is on behalf of (the one the gateway's
 * own rate limit counts), so that the profile subgraph can limit password guessing per address.
 * Only the gateway's own reading of the connection reaches the subgraph: `headers` are the ones
 * the gateway builds for a fetch, never a client's.
 */
export function forwardClientAddress(headers: Record<string, string>, context: Partial<GatewayContext> | undefined): void {
  if (context?.clientAddress) headers[CLIENT_ADDRESS_HEADER] = context.clientAddress;
}
