import { INTERNAL_CREDENTIAL_HEADER } from '@streaming/platform/core';
import type { GatewayContext } from './gatewayContext';

/**
 * Headers a subgraph could take as a statement of who is asking. The gateway builds subgraph
 * requests itself and copies no client header, so none of these can arrive from a client; they
 * are removed anyway so that a future "forward this header" change can't open that door.
 */
const IDENTITY_HEADERS = ['authorization', 'x-viewer-id', 'x-account-id', 'x-user-id', 'x-forwarded-user', 'cookie', INTERNAL_CREDENTIAL_HEADER];

/**
 * Forwards the verified credential, and only that, to the subgraph: each subgraph verifies it
 * again (it is cached there too), so a subgraph never trusts the gateway's word alone. Beside it
 * goes the gateway's own internal credential (`internal`, signed for that subgraph), which says
 * the call comes from the gateway: the viewer's token says who the request is for.
 */
export function forwardCredential(headers: Record<string, string>, context: Partial<GatewayContext> | undefined, internal?: string): void {
  // Deleted only where present: a delete turns the object into a slower dictionary.
  for (const name of IDENTITY_HEADERS) if (name in headers) delete headers[name];
  const credential = context?.viewer?.credential ?? context?.unverifiedCredential;
  if (credential) headers.authorization = `Bearer ${credential}`;
  if (internal) headers[INTERNAL_CREDENTIAL_HEADER] = internal;
}
