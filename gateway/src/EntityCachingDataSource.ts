import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { growingLru, SUBGRAPH_NAMES, type SubgraphName } from '@streaming/platform/core';
import type { DocumentNode } from 'graphql';
import type { LRUCache } from 'lru-cache';
import { compileEntitySelection, covers, project, store, widen, type EntitySelection, type EntityShape, type Fields } from './entityFields';
import { markDegraded } from './fallbacks/degraded';
import { hintFromResponse, restrictCachePolicy, UNCACHEABLE, type CacheHint } from './http/subgraphCacheHints';
import { entityCacheLookups } from './telemetry/metrics';

export interface EntityCacheOptions {
  ttlSeconds: number;
  maxEntries: number;
  /**
   * Stale-if-error: when the subgraph fails, entities up to this old are served (flagged
   * `degraded`) instead of becoming nulls with errors. @default ttlSeconds (no stale serving)
   */
  maxStaleSeconds?: number;
}

interface Entry {
  /**
   * The entity's fields, every one any fetch brought, kept by name and arguments
   * (entityFields.ts): what a request gets is projected from them afresh, never shared, since
   * executors merge later fetches (another subgraph's fields on a nested episode, say) into the
   * objects an answer holds.
   */
  fields: Record<string, unknown>;
  /** When each top-level field was last fetched: a request is fresh only if all it asks is. */
  at: Record<string, number>;
  /** The subgraph's Cache-Control on the last fetch that wrote it: a hit weighs in as that fetch did. */
  hint: CacheHint;
}

type Representation = Record<string, unknown>;

/**
 * The entities a subgraph answers the same for every viewer, anonymous included: the only ones
 * this cache may hold, since its keys name no viewer. The catalog's titles, episodes and genres
 * are public; its `Profile` (search) is not, and no other subgraph has public entities (a
 * profile, a session, home rows and similar titles for a profile are all per viewer). A type is
 * added here only once every field its subgraph resolves on it is the same for everyone.
 */
export const PUBLIC_ENTITY_TYPES: Readonly<Partial<Record<SubgraphName, readonly string[]>>> = {
  catalog: ['Title', 'Episode', 'Genre'],
};

/**
 * The subgraphs named for the entity cache, checked: a subgraph without declared public
 * entities (or a name that is no subgraph) is refused with the reason, at start.
 */
export function entityCacheSubgraphs(names: readonly string[], setting = 'ENTITY_CACHE_SUBGRAPHS'): SubgraphName[] {
  const cacheable = Object.keys(PUBLIC_ENTITY_TYPES).join(', ');
  return names.map((name) => {
    if (!SUBGRAPH_NAMES.includes(name as SubgraphName)) throw new Error(`${setting}: ${name} is not a subgraph (${SUBGRAPH_NAMES.join(', ')})`);
    if (!PUBLIC_ENTITY_TYPES[name as SubgraphName]?.length) {
      throw new Error(`${setting}: ${name} has no entities declared public: its answers are per viewer and the entity cache's keys name no viewer, so only ${cacheable} can be cached (PUBLIC_ENTITY_TYPES in gateway/src/EntityCachingDataSource.ts)`);
    }
    return name as SubgraphName;
  });
}

/**
 * An entity cache in front of a subgraph whose entities are the same for every viewer (the
 * catalog: a title's name, artwork and genres don't depend on who asks). A home screen asks the
 * catalog for a couple of hundred titles, most of them the same titles other profiles just
 * asked for; served from here, they cost neither a subgraph round trip nor its CPU.
 *
 * Only `_entities` fetches are cached, recognised by the fetch's document node (the query planner
 * hands it over: `exposeDocumentNodeInFetchNode` in gateway/src/server.ts), per entity: the key
 * is the representation (type and key fields), and the entry holds every field any fetch asked of
 * that entity (entityFields.ts), so a fetch whose fields are all there is served whatever
 * operation, alias or field order it came with, and stale-if-error serves a title whichever
 * shape brought it. A fetch sends only the representations that missed and the answer is stitched
 * back in order (error paths re-indexed). Entities that came back with an error are not cached.
 * Freshness is bounded by the TTL, per field: the catalog changes through ingestion, not per
 * request; per-viewer data (progress, lists, rows) lives in other subgraphs and is never cached here.
 */
export class EntityCachingDataSource implements GraphQLDataSource {
  private readonly cache: LRUCache<string, Entry>;
  private readonly selections = new WeakMap<DocumentNode, EntitySelection | null>();
  /** Per type, how many entities each shape was asked for, and the most asked (see `widening`). */
  private readonly shapeCounts = new Map<string, Map<string, { shape: EntityShape; count: number }>>();
  private readonly mostAsked = new Map<string, { shape: EntityShape; count: number }>();
  private readonly widenedFetches = new WeakMap<DocumentNode, Map<string, ReturnType<typeof widen>>>();
  private readonly freshMs: number;
  private readonly keepMs: number;

  private readonly hits;
  private readonly misses;
  private readonly publicTypes: ReadonlySet<string>;

  constructor(private readonly inner: GraphQLDataSource, options: EntityCacheOptions, private readonly serviceName: SubgraphName = 'catalog') {
    this.publicTypes = new Set(PUBLIC_ENTITY_TYPES[entityCacheSubgraphs([serviceName], 'entity cache')[0]]);
    this.freshMs = options.ttlSeconds * 1000;
    this.keepMs = Math.max(this.freshMs, (options.maxStaleSeconds ?? 0) * 1000);
    this.cache = growingLru<string, Entry>(options.maxEntries, { ttl: this.keepMs });
    this.hits = entityCacheLookups.labels({ subgraph: serviceName, result: 'hit' });
    this.misses = entityCacheLookups.labels({ subgraph: serviceName, result: 'miss' });
  }

  /** What the cache can answer of this fetch, compiled once per document; null: not cacheable. */
  private selectionOf(document: DocumentNode | undefined): EntitySelection | null {
    if (!document) return null;
    let selection = this.selections.get(document);
    if (selection === undefined) {
      selection = compileEntitySelection(document);
      this.selections.set(document, selection);
    }
    return selection;
  }

  /**
   * The entity for `fields` from what is kept under `key`, if every top-level field it asks was
   * fetched within `withinMs`, with the time of the oldest of them; else null.
   */
  private lookup(key: string, fields: Fields, typename: string, withinMs: number, now: number): { entity: object; entry: Entry; oldest: number } | null {
    const entry = this.cache.get(key);
    if (!entry) return null;
    let oldest = now;
    for (const f of fields) {
      if (f.storeKey === '__typename') continue;
      const at = entry.at[f.storeKey];
      if (at === undefined || now - at >= withinMs) return null;
      if (at < oldest) oldest = at;
    }
    const entity = project(entry.fields, fields, typename);
    return entity ? { entity, entry, oldest } : null;
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const { variables } = options.request;
    const representations = variables?.representations as Representation[] | undefined;
    const selection = this.selectionOf('document' in options ? options.document : undefined);
    if (!selection || !Array.isArray(representations)) return this.inner.process(options);
    // The key names no viewer, so only public entities may be cached: a `Profile` representation
    // (search) is per viewer and always goes to the subgraph, which checks who asks.
    if (representations.some((r) => !this.publicTypes.has(r.__typename as string))) return this.inner.process(options);
    const fieldsOf = representations.map((r) => selection.fieldsOf(r.__typename as string, variables));
    if (fieldsOf.some((f) => f === null)) return this.inner.process(options);
    const fields = fieldsOf as Fields[];

    const { representations: _all, ...others } = variables!;
    const keys = representations.map((r) => JSON.stringify(r));
    const now = Date.now();
    const entities: (object | null)[] = [];
    const missing: number[] = [];
    representations.forEach((r, i) => {
      const hit = this.lookup(keys[i], fields[i], r.__typename as string, this.freshMs, now);
      if (!hit) {
        entities.push(null);
        missing.push(i);
        return;
      }
      entities.push(hit.entity);
      // What was served from here counts in the response's Cache-Control as the subgraph said when
      // it was fetched, less the time it has been kept (the misses' fetch adds its own hint).
      restrictCachePolicy(options, { ...hit.entry.hint, maxAge: Math.max(0, hit.entry.hint.maxAge - Math.ceil((now - hit.oldest) / 1000)) });
    });
    this.hits.inc(entities.length - missing.length);
    this.misses.inc(missing.length);
    // Counted hit or miss: the shape most asked is what clients ask, not what missed most.
    this.noteShapes(selection, representations);
    if (missing.length === 0) return { data: { _entities: entities } };

    const original = {
      ...options,
      request: { ...options.request, variables: { ...others, representations: missing.map((i) => representations[i]) } },
    } as GraphQLDataSourceProcessOptions;
    const widened = this.widening(selection, representations, missing, fields);
    let response: GatewayGraphQLResponse;
    try {
      response = await this.inner.process(widened
        ? ({ ...original, request: { ...original.request, query: widened.query }, document: widened.document } as GraphQLDataSourceProcessOptions)
        : original);
      // Fields added for the cache must never cost a request its answer (an error in one of them,
      // or one nulling the entity): on any error the fetch is asked again as it came.
      if (widened && response.errors?.length) response = await this.inner.process(original);
    } catch (err) {
      return this.staleOrThrow(options, representations, keys, fields, entities, missing, err);
    }
    const extra = widened && !response.errors?.length ? widened.extra : null;
    const fetched = (response.data?._entities ?? null) as (object | null)[] | null;
    if (!fetched) return response;

    const hint = hintFromResponse(response);
    const failed = new Set<number>();
    const errors = response.errors?.map((error) => {
      const path = error.path;
      if (path?.[0] !== '_entities' || typeof path[1] !== 'number') return error;
      failed.add(path[1]);
      return { ...error, path: ['_entities', missing[path[1]], ...path.slice(2)] };
    });
    const storedAt = Date.now();
    fetched.forEach((entity, j) => {
      const i = missing[j];
      entities[i] = entity;
      if (entity === null || failed.has(j)) return;
      const typename = representations[i].__typename as string;
      const added = extra?.get(typename);
      const entry = this.keep(keys[i], entity as Record<string, unknown>, added ? [fields[i], added] : [fields[i]], hint, storedAt);
      // The request gets what it asked, not the fields added for the cache.
      if (extra) entities[i] = project(entry.fields, fields[i], typename) ?? entity;
    });
    return { ...response, data: { ...response.data, _entities: entities }, ...(errors ? { errors } : {}) };
  }

  /** Adds an entity's fetched fields (what was asked, and what was added for the cache) to what is kept of it, each dated now. */
  private keep(key: string, entity: Record<string, unknown>, fieldSets: Fields[], hint: CacheHint, now: number): Entry {
    const entry = this.cache.get(key) ?? { fields: {}, at: {}, hint };
    for (const fields of fieldSets) {
      store(entry.fields, entity, fields);
      for (const f of fields) if (f.storeKey !== '__typename' && entity[f.responseKey] !== undefined) entry.at[f.storeKey] = now;
    }
    entry.hint = hint;
    this.cache.set(key, entry);
    return entry;
  }

  /** Counts the entities a fetch asks of each type in its shape. */
  private noteShapes(selection: EntitySelection, representations: Representation[]): void {
    const perType = new Map<string, number>();
    for (const r of representations) perType.set(r.__typename as string, (perType.get(r.__typename as string) ?? 0) + 1);
    for (const [typename, n] of perType) {
      const shape = selection.shapeOf(typename);
      if (!shape) continue;
      let byKey = this.shapeCounts.get(typename);
      if (!byKey) this.shapeCounts.set(typename, (byKey = new Map()));
      let seen = byKey.get(shape.key);
      if (!seen) {
        // Shapes are per operation a client can send, so few; the bound is against the unforeseen.
        if (byKey.size >= 100) continue;
        byKey.set(shape.key, (seen = { shape, count: 0 }));
      }
      seen.count += n;
      const best = this.mostAsked.get(typename);
      if (!best || seen.count > best.count) this.mostAsked.set(typename, seen);
    }
  }

  /**
   * What a missing entity is fetched with besides what its request asks: the fields of the shape
   * most asked of its type (the home screen's tile, for titles), when the request doesn't ask
   * them all. A title that first reaches the gateway by a small fetch (a started playback asks
   * only its name, and it then shows in Continue Watching and Trending) is then kept as a tile
   * too, so the home screens it next appears on are served from here, and stay whole with the
   * subgraph down (stale-if-error). The cost is a few more fields on a fetch that goes out
   * anyway, only for entities not yet kept with them; the request still gets only what it asked.
   */
  private widening(selection: EntitySelection, representations: Representation[], missing: number[], fields: Fields[]) {
    const shapes = new Map<string, EntityShape>();
    const checked = new Set<string>();
    for (const i of missing) {
      const typename = representations[i].__typename as string;
      if (checked.has(typename)) continue;
      checked.add(typename);
      const wanted = this.mostAsked.get(typename)?.shape;
      if (wanted && !covers(fields[i], wanted.fields)) shapes.set(typename, wanted);
    }
    if (shapes.size === 0) return null;
    const key = [...shapes].map(([typename, shape]) => `${typename}\u0000${shape.key}`).join('\u0001');
    let byKey = this.widenedFetches.get(selection.document);
    if (!byKey) this.widenedFetches.set(selection.document, (byKey = new Map()));
    let widened = byKey.get(key);
    if (!widened) byKey.set(key, (widened = widen(selection, shapes)));
    return widened;
  }

  /**
   * The subgraph failed: what is still in the cache (past its TTL, within the staleness bound)
   * is served and the response flagged degraded; entities with nothing cached become nulls, all
   * explained by the one error that made them so, beside the fresh hits. Nothing to serve at all:
   * the error as it was.
   */
  private staleOrThrow(
    options: GraphQLDataSourceProcessOptions,
    representations: Representation[],
    keys: string[],
    fields: Fields[],
    entities: (object | null)[],
    missing: number[],
    err: unknown,
  ): GatewayGraphQLResponse {
    let served = 0;
    const now = Date.now();
    for (const i of missing) {
      const stale = this.lookup(keys[i], fields[i], representations[i].__typename as string, this.keepMs, now);
      if (stale) {
        entities[i] = stale.entity;
        served += 1;
      }
    }
    // Nothing to answer with at all (no fresh hit, nothing stale): the error as it was.
    if (served === 0 && missing.length === entities.length) throw err;
    markDegraded(options.context, this.serviceName);
    // Stale by definition: no cache may keep it.
    restrictCachePolicy(options, UNCACHEABLE);
    const unserved = missing.find((i) => entities[i] === null);
    if (unserved === undefined) return { data: { _entities: entities } };
    const { message, extensions } = err as { message: string; extensions?: Record<string, unknown> };
    return { data: { _entities: entities }, errors: [{ message, path: ['_entities', unserved], extensions }] as GatewayGraphQLResponse['errors'] };
  }
}
