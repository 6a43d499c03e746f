import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';

/** How long an answer may be kept, and by whom (PUBLIC: any cache; PRIVATE: the client's own). */
export interface CacheHint {
  maxAge: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}

/** Nothing may keep it: what every fallback, stale or degraded answer is. */
export const UNCACHEABLE: CacheHint = { maxAge: 0 };

/**
 * A subgraph's answer's hint, read from its `Cache-Control` as Apollo Gateway's
 * RemoteGraphQLDataSource reads it (the subgraphs run Apollo's cache-control plugin over their
 * `@cacheControl` hints): `max-age` (0 when absent), and `public` or `private`.
 */
export function hintFromResponse(response: GatewayGraphQLResponse): CacheHint {
  const header = response.http?.headers.get('cache-control') ?? '';
  const hint: CacheHint = { maxAge: 0 };
  for (const part of header.split(',')) {
    const [key, value] = part.trim().toLowerCase().split('=', 2);
    if (key === 'max-age' && /^\d+$/.test(value ?? '')) hint.maxAge = Number(value);
    if (key === 'private') hint.scope = 'PRIVATE';
    if (key === 'public') hint.scope = 'PUBLIC';
  }
  return hint;
}

/**
 * Narrows the incoming request's cache policy, most restrictive wins (the shortest max-age, and
 * PRIVATE over PUBLIC), as each real subgraph fetch does in RemoteGraphQLDataSource. For data
 * sources that answer without fetching (the entity cache, the fallbacks): what they serve must
 * weigh in the response's Cache-Control as a fetch would, or a stale or per-viewer stand-in
 * could be sent as long-lived and public.
 */
export function restrictCachePolicy(options: GraphQLDataSourceProcessOptions, hint: CacheHint): void {
  if (!('incomingRequestContext' in options)) return;
  const policy = options.incomingRequestContext.overallCachePolicy as { restrict?: (hint: CacheHint) => void } | undefined;
  policy?.restrict?.(hint);
}
