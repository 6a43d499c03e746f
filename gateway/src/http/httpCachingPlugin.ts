import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { isDegraded } from '../fallbacks/degraded';

export const NO_STORE = 'no-store';

/**
 * The gateway's `Cache-Control`, `ETag` and `Vary`, from what the subgraphs said.
 *
 * The policy is Apollo's: every subgraph fetch narrows the request's cache policy by the
 * subgraph's own `Cache-Control` (RemoteGraphQLDataSource; the subgraphs compute it from the
 * `@cacheControl` hints in their schemas), most restrictive wins, and so do the entity cache and
 * the fallbacks for what they serve without fetching (http/subgraphCacheHints.ts). A subgraph
 * that gives no hint, or a field without one, makes the whole answer uncacheable: only what is
 * declared public is ever cached. This plugin is the one writer of the header (Apollo's own
 * cache-control plugin is off in server.ts, so no two plugins race over it), and adds what
 * Apollo's doesn't:
 * - `no-store` for any error and any degraded answer (a stand-in must not outlive the outage),
 *   and for an incremental answer;
 * - with a policy, `Cache-Control: public|private, max-age=N`, `Vary` on what changes the
 *   answer (`Accept` picks the media type; `Authorization` for a private one, so a browser
 *   signed in as someone else never reuses it; the cost header adds `extensions.cost`), and,
 *   on a GET, a weak `ETag` over the answer: a client or CDN revalidating with `If-None-Match`
 *   gets 304 without the body (Express's `res.send` compares them).
 */
export function httpCachingPlugin(options: { costHeader: string }): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response, contextValue, overallCachePolicy }) {
          const headers = response.http.headers;
          const noStore = () => {
            headers.set('cache-control', NO_STORE);
            headers.delete('etag');
          };
          if (response.body.kind !== 'single') return noStore();
          const result = response.body.singleResult;
          if (result.errors?.length || isDegraded(contextValue)) return noStore();
          const policy = overallCachePolicy.policyIfCacheable();
          if (!policy) return noStore();
          const scope = policy.scope === 'PRIVATE' ? 'private' : 'public';
          headers.set('cache-control', `${scope}, max-age=${policy.maxAge}`);
          headers.set('vary', ['accept', options.costHeader, ...(scope === 'private' ? ['authorization'] : [])].join(', '));
          if (request.http?.method === 'GET') {
            headers.set('etag', `W/"${createHash('sha256').update(JSON.stringify(result)).digest('base64url').slice(0, 32)}"`);
          }
        },
      };
    },
  };
}
