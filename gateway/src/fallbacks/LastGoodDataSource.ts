import { createHash } from 'node:crypto';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { parse } from 'graphql';
import { LRUCache } from 'lru-cache';
import { markDegraded } from './degraded';
import { restrictCachePolicy, UNCACHEABLE } from '../http/subgraphCacheHints';
import type { LastGoodBounds, LastGoodStore } from './LastGoodStore';
import { emptyEntity, type NeverSeenFallback, type Representation } from './neverSeen';
import { pagesOnward } from './pagesOnward';
import { profilesNamed, type ProfileRatings } from './profileRatings';
import type { GatewayContext } from '../auth/gatewayContext';
import { isAccessRefusal } from '../resilience/subgraphErrors';

/**
 * A good answer unchanged since it was last written is written again this often (or at half its
 * max age, if less): that refreshes its TTL and its place in the bounds, and puts it back if
 * Redis lost it (a restart keeps nothing).
 */
const REWRITE_UNCHANGED_MS = 600_000;

/**
 * Stale-if-error for a subgraph whose entities are per viewer (recommendation: a profile's home
 * rows, a title's similar titles). Every good `_entities` answer is remembered per entity; when
 * the subgraph fails (down, timed out, circuit open), the last good answer for that entity is
 * served instead and the response is flagged `degraded`. An entity never seen before gets the
 * `neverSeen` fallback (for a profile's home rows: non-personalised rows, see homeRowsFallback).
 *
 * Never for a refusal: a subgraph refusing the caller's credential or right (401, 403,
 * UNAUTHENTICATED, FORBIDDEN) is an answer about this caller, and reaches the client as it is.
 *
 * An entry is keyed by everything that decides its content: the viewer's account, the fetch text
 * and variables, the whole representation (for a profile: its id, maturity rating, My List and
 * country, as the subgraph receives them), and the current maturity rating of any profile the
 * fetch names in a `profileId` argument (`similar(profileId:)`: the rating decides which titles
 * it holds, and the representation, a title, doesn't carry it). Those ratings are asked of the
 * profile subgraph beside the fetch and again after it, and the answer is remembered only if
 * they agree, so a rating changed meanwhile can't file an answer under the wrong rating. A rating
 * lowered later therefore finds nothing computed for the higher one: a fallback never shows more
 * than the profile would see now.
 *
 * Kept in a bounded store (see LastGoodStore: per viewer and in total, newest kept), hashed so
 * that no key carries query text, ids or variables. An answer is written when it changed, or
 * every ten minutes to refresh it, not on every request: a home screen is read far more often
 * than it changes. A write Redis refused is made again with the next good answer. A page after a
 * cursor is not remembered (see pagesOnward): it belongs to one visit.
 */
export class LastGoodDataSource implements GraphQLDataSource {
  /** The digest last written per key (Redis only: a memory write costs less than the check). */
  private readonly written: LRUCache<string, string> | undefined;

  constructor(
    private readonly inner: GraphQLDataSource,
    private readonly serviceName: string,
    options: LastGoodBounds,
    private readonly store: LastGoodStore,
    private readonly neverSeen: NeverSeenFallback = emptyEntity,
    /** Where the ratings of profiles named by `profileId` come from; without it such answers are never kept. */
    private readonly ratings?: ProfileRatings,
  ) {
    if (store.kind === 'redis') {
      this.written = new LRUCache<string, string>({ max: Math.max(1, options.maxEntries), ttl: Math.min(REWRITE_UNCHANGED_MS, (options.maxAgeSeconds * 1000) / 2) });
    }
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const representations = options.request.variables?.representations as Representation[] | undefined;
    const query = options.request.query;
    if (!Array.isArray(representations) || !query?.startsWith('query')) return this.inner.process(options);
    const { representations: _all, ...others } = options.request.variables!;
    // Per viewer: an answer remembered for one account is never served to another, even where the
    // arguments match (`similar(profileId:)` naming someone else's profile is null for them).
    const viewer = (options.context as Partial<GatewayContext> | undefined)?.viewer?.accountId ?? '';
    // The planner hands each fetch its parsed document (`exposeDocumentNodeInFetchNode` in server.ts).
    const document = ('document' in options && options.document) || parse(query);
    const profiles = profilesNamed(document, others);
    const ratingsOf = () => (profiles.length === 0 ? Promise.resolve('') : this.ratings?.(profiles, options) ?? Promise.resolve(undefined));
    // Beside the fetch: the ratings it is computed for (and, if it fails, the current ones).
    const ratingsBefore = ratingsOf();
    const keysFor = (ratings: string) => {
      const prefix = `${viewer}\u0000${query}\u0000${JSON.stringify(others)}\u0000${ratings}\u0000`;
      return representations.map((r) => digest(prefix + JSON.stringify(r)));
    };
    let response: GatewayGraphQLResponse;
    try {
      response = await this.inner.process(options);
    } catch (err) {
      if (isAccessRefusal(err)) throw err;
      markDegraded(options.context, this.serviceName);
      // A stand-in (an older answer, or rows for no one in particular): no cache may keep it.
      restrictCachePolicy(options, UNCACHEABLE);
      const ratings = await ratingsBefore;
      const stored = ratings === undefined ? representations.map(() => null) : await this.store.get(viewer, keysFor(ratings));
      const entities = await Promise.all(representations.map((representation, i) => {
        const json = stored[i];
        return json ? (JSON.parse(json) as object) : this.neverSeen({ representation, document, options });
      }));
      return { data: { _entities: entities } };
    }
    const entities = response.data?._entities as (object | null)[] | undefined;
    if (Array.isArray(entities) && !pagesOnward(query, others)) {
      const failed = new Set((response.errors ?? []).map((e) => e.path?.[1]).filter((i) => typeof i === 'number'));
      const good = entities.flatMap((entity, i) => (entity && !failed.has(i) ? [[i, JSON.stringify(entity)] as const] : []));
      // Never awaited: remembering must not slow the answer down (none of it throws).
      if (good.length) void this.remember(viewer, good, keysFor, ratingsBefore, ratingsOf);
    }
    return response;
  }

  private async remember(
    viewer: string,
    good: ReadonlyArray<readonly [index: number, json: string]>,
    keysFor: (ratings: string) => string[],
    ratingsBefore: Promise<string | undefined>,
    ratingsOf: () => Promise<string | undefined>,
  ): Promise<void> {
    const before = await ratingsBefore;
    if (before === undefined || (before !== '' && (await ratingsOf()) !== before)) return;
    const keys = keysFor(before);
    const entries = good.map(([i, json]) => [keys[i], json] as const);
    const written = this.written;
    if (!written) {
      await this.store.put(viewer, entries);
      return;
    }
    const changed = entries.map(([key, json]) => ({ key, json, digest: digest(json) })).filter((e) => written.get(e.key) !== e.digest);
    if (changed.length === 0) return;
    // Marked written only once Redis took it.
    if (await this.store.put(viewer, changed.map((e) => [e.key, e.json] as const))) for (const e of changed) written.set(e.key, e.digest);
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
