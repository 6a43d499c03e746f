import type { GraphQLResponse } from '@streaming/testing';
import { Agent, request } from 'undici';

export interface HttpResponse<T = Record<string, any>> extends GraphQLResponse<T> {
  headers: Record<string, string | string[] | undefined>;
}

export interface AddressedClient {
  /** Posts an operation to `url` from this client's address; the response keeps its headers. */
  post<T = Record<string, any>>(url: string, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<HttpResponse<T>>;
  close(): Promise<void>;
}

/**
 * A client connecting from its own source address. Loopback is a whole /8 on Linux, so
 * 127.0.0.2, 127.0.0.3, ... reach a server listening on 127.0.0.1 as distinct clients: what
 * the gateway sees as `req.ip`, with no forwarding header a client could make up.
 */
export function clientAt(localAddress: string): AddressedClient {
  const dispatcher = new Agent({ localAddress });
  return {
    async post<T>(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
      const response = await request(url, {
        method: 'POST',
        dispatcher,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.body.text();
      let body: Omit<GraphQLResponse<T>, 'status'>;
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error(`HTTP ${response.statusCode} with a non-JSON body: ${text.slice(0, 300)}`);
      }
      return { status: response.statusCode, headers: response.headers, ...body };
    },
    close: () => dispatcher.close(),
  };
}
