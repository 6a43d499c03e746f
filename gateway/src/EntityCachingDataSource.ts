import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { LRUCache } from 'lru-cache';
import { markDegraded } from './fallbacks/degraded';

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
  entity: object;
  storedAt: number;
}

type Representation = Record<string, unknown>;

/**
 * An entity cache in front of a subgraph whose entities are the same for every viewer (the
 * catalog: a title's name, artwork and genres don't depend on who asks). A home screen asks the
 * catalog for a couple of hundred titles, most of them the same titles other profiles just
 * asked for; served from here, they cost neither a subgraph round trip nor its CPU.
 *
 * Only `_entities` fetches are cached, per entity: the key is the fetch's text and variables
 * plus one representation, so two queries selecting different fields never share an entry.
 * A fetch sends only the representations that missed and the answer is stitched back in
 * order (error paths re-indexed). Entities that came back with an error are not cached.
 * Freshness is bounded by the TTL: the catalog changes through ingestion, not per request;
 * per-viewer data (progress, lists, rows) lives in other subgraphs and is never cached here.
 */
export class EntityCachingDataSource implements GraphQLDataSource {
  private readonly cache: LRUCache<string, Entry>;
  private readonly queryIds = new Map<string, number | false>();
  private readonly freshMs: number;

  constructor(private readonly inner: GraphQLDataSource, options: EntityCacheOptions, private readonly serviceName = 'catalog') {
    this.freshMs = options.ttlSeconds * 1000;
    const keepMs = Math.max(this.freshMs, (options.maxStaleSeconds ?? 0) * 1000);
    this.cache = new LRUCache<string, Entry>({ max: options.maxEntries, ttl: keepMs });
  }

  private fresh(key: string): object | null {
    const entry = this.cache.get(key);
    return entry && Date.now() - entry.storedAt < this.freshMs ? entry.entity : null;
  }

  /** A short id per distinct `_entities` fetch text, or false for any other operation. */
  private queryId(query: string | undefined): number | false {
    if (!query) return false;
    let id = this.queryIds.get(query);
    if (id === undefined) {
      // The gateway writes entity fetches as `query X($representations:[_Any!]!){_entities(...`;
      // mutations and root-field fetches are never cached.
      id = query.startsWith('query') && query.includes('{_entities(representations:$representations)') ? this.queryIds.size + 1 : false;
      if (this.queryIds.size < 10_000) this.queryIds.set(query, id);
    }
    return id;
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const { query, variables } = options.request;
    const id = this.queryId(query);
    const representations = variables?.representations as Representation[] | undefined;
    if (id === false || !Array.isArray(representations)) return this.inner.process(options);

    const { representations: _all, ...others } = variables!;
    const prefix = `${id}\u0000${Object.keys(others).length ? JSON.stringify(others) : ''}\u0000`;
    const keys = representations.map((r) => prefix + JSON.stringify(r));
    const entities: (object | null)[] = keys.map((k) => this.fresh(k));
    const missing: number[] = [];
    entities.forEach((entity, i) => entity === null && missing.push(i));
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

    const failed = new Set<number>();
    const errors = response.errors?.map((error) => {
      const path = error.path;
      if (path?.[0] !== '_entities' || typeof path[1] !== 'number') return error;
      failed.add(path[1]);
      return { ...error, path: ['_entities', missing[path[1]], ...path.slice(2)] };
    });
    fetched.forEach((entity, j) => {
      entities[missing[j]] = entity;
      if (entity !== null && !failed.has(j)) this.cache.set(keys[missing[j]], { entity, storedAt: Date.now() });
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
      const stale = this.cache.get(keys[i], { allowStale: true })?.entity;
      if (stale) {
        entities[i] = stale;
        served += 1;
      }
    }
    if (served === 0) throw err;
    markDegraded(options.context, this.serviceName);
    const unserved = missing.find((i) => entities[i] === null);
    if (unserved === undefined) return { data: { _entities: entities } };
    const { message, extensions } = err as { message: string; extensions?: Record<string, unknown> };
    return { data: { _entities: entities }, errors: [{ message, path: ['_entities', unserved], extensions }] as GatewayGraphQLResponse['errors'] };
  }
}
