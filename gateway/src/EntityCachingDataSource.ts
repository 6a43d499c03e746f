import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { SUBGRAPH_NAMES, type SubgraphName } from '@streaming/platform';
import { Kind, type DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
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
   * The entity as JSON, parsed afresh for every request it serves. Executors merge later fetches
   * (another subgraph's fields on a nested episode, say) into the objects an answer holds, so a
   * shared object would carry one viewer's fields into the next viewer's answer. As a string it
   * is also one flat allocation for the garbage collector instead of a tree of objects.
   */
  json: string;
  storedAt: number;
  /** The subgraph's Cache-Control on the fetch that brought it: a hit weighs in as that fetch did. */
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
 * hands it over: `exposeDocumentNodeInFetchNode` in gateway/src/server.ts), per entity: the key is the fetch's text and variables
 * plus one representation, so two queries selecting different fields never share an entry.
 * A fetch sends only the representations that missed and the answer is stitched back in
 * order (error paths re-indexed). Entities that came back with an error are not cached. Every
 * request gets entities of its own (see `Entry.json`): no object is shared between answers.
 * Freshness is bounded by the TTL: the catalog changes through ingestion, not per request;
 * per-viewer data (progress, lists, rows) lives in other subgraphs and is never cached here.
 */
export class EntityCachingDataSource implements GraphQLDataSource {
  private readonly cache: LRUCache<string, Entry>;
  private readonly queryIds = new Map<string, number>();
  private nextQueryId = 1;
  private readonly entityFetches = new WeakMap<DocumentNode, boolean>();
  private readonly freshMs: number;

  private readonly hits;
  private readonly misses;
  private readonly publicTypes: ReadonlySet<string>;

  constructor(private readonly inner: GraphQLDataSource, options: EntityCacheOptions, private readonly serviceName: SubgraphName = 'catalog') {
    this.publicTypes = new Set(PUBLIC_ENTITY_TYPES[entityCacheSubgraphs([serviceName], 'entity cache')[0]]);
    this.freshMs = options.ttlSeconds * 1000;
    const keepMs = Math.max(this.freshMs, (options.maxStaleSeconds ?? 0) * 1000);
    this.cache = new LRUCache<string, Entry>({ max: options.maxEntries, ttl: keepMs });
    this.hits = entityCacheLookups.labels({ subgraph: serviceName, result: 'hit' });
    this.misses = entityCacheLookups.labels({ subgraph: serviceName, result: 'miss' });
  }

  private fresh(key: string): Entry | null {
    const entry = this.cache.get(key);
    return entry && Date.now() - entry.storedAt < this.freshMs ? entry : null;
  }

  /** A query whose only root field is `_entities`; mutations and root-field fetches are never cached. */
  private isEntitiesFetch(document: DocumentNode | undefined): boolean {
    if (!document) return false;
    let known = this.entityFetches.get(document);
    if (known === undefined) {
      const [operation, ...others] = document.definitions;
      const [field, ...siblings] = operation?.kind === Kind.OPERATION_DEFINITION && operation.operation === 'query' ? operation.selectionSet.selections : [];
      known = others.length === 0 && siblings.length === 0 && field?.kind === Kind.FIELD && field.name.value === '_entities';
      this.entityFetches.set(document, known);
    }
    return known;
  }

  /** A short id per distinct fetch text, so that keys don't carry the whole query. */
  private queryId(query: string): number {
    let id = this.queryIds.get(query);
    if (id === undefined) {
      id = this.nextQueryId++;
      if (this.queryIds.size < 10_000) this.queryIds.set(query, id);
    }
    return id;
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const { query, variables } = options.request;
    const document = 'document' in options ? options.document : undefined;
    const representations = variables?.representations as Representation[] | undefined;
    if (!query || !this.isEntitiesFetch(document) || !Array.isArray(representations)) return this.inner.process(options);
    const id = this.queryId(query);
    // The key names no viewer, so only public entities may be cached: a `Profile` representation
    // (search) is per viewer and always goes to the subgraph, which checks who asks.
    if (representations.some((r) => !this.publicTypes.has(r.__typename as string))) return this.inner.process(options);

    const { representations: _all, ...others } = variables!;
    const prefix = `${id}\u0000${Object.keys(others).length ? JSON.stringify(others) : ''}\u0000`;
    const keys = representations.map((r) => prefix + JSON.stringify(r));
    const entries = keys.map((k) => this.fresh(k));
    const entities: (object | null)[] = entries.map((entry) => (entry ? (JSON.parse(entry.json) as object) : null));
    const missing: number[] = [];
    entities.forEach((entity, i) => entity === null && missing.push(i));
    this.hits.inc(entities.length - missing.length);
    this.misses.inc(missing.length);
    // What was served from here counts in the response's Cache-Control as the subgraph said when
    // it was fetched, less the time it has been kept (the misses' fetch adds its own hint).
    const now = Date.now();
    for (const entry of entries) {
      if (entry) restrictCachePolicy(options, { ...entry.hint, maxAge: Math.max(0, entry.hint.maxAge - Math.ceil((now - entry.storedAt) / 1000)) });
    }
    if (missing.length === 0) return { data: { _entities: entities } };

    let response: GatewayGraphQLResponse;
    try {
      response = await this.inner.process({
        ...options,
        request: { ...options.request, variables: { ...others, representations: missing.map((i) => representations[i]) } },
      } as GraphQLDataSourceProcessOptions);
    } catch (err) {
      return this.staleOrThrow(options, keys, entities, missing, err);
    }
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
    fetched.forEach((entity, j) => {
      entities[missing[j]] = entity;
      if (entity !== null && !failed.has(j)) this.cache.set(keys[missing[j]], { json: JSON.stringify(entity), storedAt: Date.now(), hint });
    });
    return { ...response, data: { ...response.data, _entities: entities }, ...(errors ? { errors } : {}) };
  }

  /**
   * The subgraph failed: what is still in the cache (past its TTL, within the staleness bound)
   * is served and the response flagged degraded; entities with nothing cached become nulls, all
   * explained by the one error that made them so. Nothing cached at all: the error as it was.
   */
  private staleOrThrow(
    options: GraphQLDataSourceProcessOptions,
    keys: string[],
    entities: (object | null)[],
    missing: number[],
    err: unknown,
  ): GatewayGraphQLResponse {
    let served = 0;
    for (const i of missing) {
      const stale = this.cache.get(keys[i], { allowStale: true });
      if (stale) {
        entities[i] = JSON.parse(stale.json) as object;
        served += 1;
      }
    }
    if (served === 0) throw err;
    markDegraded(options.context, this.serviceName);
    // Stale by definition: no cache may keep it.
    restrictCachePolicy(options, UNCACHEABLE);
    const unserved = missing.find((i) => entities[i] === null);
    if (unserved === undefined) return { data: { _entities: entities } };
    const { message, extensions } = err as { message: string; extensions?: Record<string, unknown> };
    return { data: { _entities: entities }, errors: [{ message, path: ['_entities', unserved], extensions }] as GatewayGraphQLResponse['errors'] };
  }
}
