import { createHash } from 'node:crypto';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Cache } from '@streaming/platform';
import { parse } from 'graphql';
import { LRUCache } from 'lru-cache';
import { markDegraded } from './degraded';
import { emptyEntity, type NeverSeenFallback, type Representation } from './neverSeen';
import { pagesOnward } from './pagesOnward';
import type { GatewayContext } from '../auth/gatewayContext';

export interface LastGoodOptions {
  /** How long a good answer may stand in for a failing subgraph. @default 86400 (a day) */
  maxAgeSeconds: number;
  /** Bound on the embedded (in-memory) store; Redis bounds itself by the TTL. */
  maxEntries: number;
}

/**
 * A good answer unchanged since it was last written is written again this often (or at half its
 * max age, if less): that refreshes its TTL, and puts it back if Redis lost it (a restart keeps
 * nothing).
 */
const REWRITE_UNCHANGED_MS = 600_000;

/**
 * Stale-if-error for a subgraph whose entities are per viewer (recommendation: a profile's home
 * rows, a title's similar titles). Every good `_entities` answer is remembered per entity; when
 * the subgraph fails (down, timed out, circuit open), the last good answer for that entity is
 * served instead and the response is flagged `degraded`. An entity never seen before gets the
 * `neverSeen` fallback (for a profile's home rows: non-personalised rows, see homeRowsFallback).
 *
 * The key is the viewer's account, the fetch text and variables, and the representation's
 * typename, id and maturity rating: the rows a kids profile gets back are rows that were computed
 * for a kids profile, so a fallback never shows more than the profile would normally see.
 *
 * Kept in the shared cache (Redis when configured, so every gateway instance and a restarted one
 * have them; in memory otherwise), hashed so that no key carries query text or ids. An answer is
 * written when it changed, or hourly to refresh its TTL, not on every request: a home screen is
 * read far more often than it changes. A write Redis refused is made again with the next good
 * answer. A page after a cursor is not remembered (see pagesOnward): it belongs to one visit.
 */
export class LastGoodDataSource implements GraphQLDataSource {
  /** The digest last written per key (Redis only: a memory write costs less than the check). */
  private readonly written: LRUCache<string, string> | undefined;

  constructor(
    private readonly inner: GraphQLDataSource,
    private readonly serviceName: string,
    private readonly options: LastGoodOptions,
    private readonly store: Cache,
    private readonly neverSeen: NeverSeenFallback = emptyEntity,
  ) {
    if (store.kind === 'redis') {
      this.written = new LRUCache<string, string>({ max: options.maxEntries, ttl: Math.min(REWRITE_UNCHANGED_MS, (options.maxAgeSeconds * 1000) / 2) });
    }
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const representations = options.request.variables?.representations as Representation[] | undefined;
    if (!Array.isArray(representations) || !options.request.query?.startsWith('query')) return this.inner.process(options);
    const { representations: _all, ...others } = options.request.variables!;
    // Per viewer: an answer remembered for one account is never served to another, even where the
    // arguments match (`similar(profileId:)` naming someone else's profile is null for them).
    const viewer = (options.context as Partial<GatewayContext> | undefined)?.viewer?.accountId ?? '';
    const prefix = `${viewer}\u0000${options.request.query}\u0000${JSON.stringify(others)}\u0000`;
    const keys = representations.map((r) => digest(prefix + JSON.stringify([r.__typename, r.id, r.maturityRating ?? null])));
    let response: GatewayGraphQLResponse;
    try {
      response = await this.inner.process(options);
    } catch (err) {
      markDegraded(options.context, this.serviceName);
      // The planner hands each fetch its parsed document (`exposeDocumentNodeInFetchNode` in server.ts).
      const document = ('document' in options && options.document) || parse(options.request.query);
      const stored = await this.store.mget(keys);
      const entities = await Promise.all(representations.map((representation, i) => {
        const json = stored[i];
        return json ? (JSON.parse(json) as object) : this.neverSeen({ representation, document, options });
      }));
      return { data: { _entities: entities } };
    }
    const entities = response.data?._entities as (object | null)[] | undefined;
    if (Array.isArray(entities) && !pagesOnward(options.request.query, others)) {
      const failed = new Set((response.errors ?? []).map((e) => e.path?.[1]).filter((i) => typeof i === 'number'));
      this.remember(entities.flatMap((entity, i) => (entity && !failed.has(i) ? [[keys[i], JSON.stringify(entity)] as const] : [])));
    }
    return response;
  }

  private remember(entries: (readonly [string, string])[]): void {
    const written = this.written;
    if (!written) {
      void this.store.replace(entries, this.options.maxAgeSeconds);
      return;
    }
    const changed = entries.map(([key, json]) => ({ key, json, digest: digest(json) })).filter((e) => written.get(e.key) !== e.digest);
    if (changed.length === 0) return;
    // Never awaited: remembering must not slow the answer down (the store never throws). Marked
    // written only once Redis took it.
    void this.store.replace(changed.map((e) => [e.key, e.json] as const), this.options.maxAgeSeconds).then((stored) => {
      if (stored) for (const e of changed) written.set(e.key, e.digest);
    });
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
