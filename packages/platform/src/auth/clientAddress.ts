import type { IncomingMessage } from 'node:http';

/**
 * The client's address, from the gateway to the subgraphs: the address the gateway counts its
 * own rate limit against, so that per-address limits further in (password guessing, in the
 * profile subgraph) see the client rather than the gateway. The gateway always sets it itself
 * and copies no client header, so a client can't choose what arrives here.
 */
export const CLIENT_ADDRESS_HEADER = 'x-streaming-client-address';

/** Long enough for any IPv6 text form; anything else in the header is not an address. */
const ADDRESS = /^[0-9A-Fa-f:.]{2,45}$/;

/**
 * Who a subgraph request is on behalf of: the address the gateway forwarded, or (called
 * directly, without the gateway) the caller's own socket address.
 */
export function clientAddressOf(req: IncomingMessage): string {
  const forwarded = req.headers[CLIENT_ADDRESS_HEADER];
  if (typeof forwarded === 'string' && ADDRESS.test(forwarded)) return forwarded;
  return req.socket.remoteAddress ?? 'unknown';
}
