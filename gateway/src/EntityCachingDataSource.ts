import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, type DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { entityCacheLookups } from './telemetry/metrics';

export interface EntityCacheOptions {
  ttlSeconds: number;
  maxEntries: number;
}

type Representation = Record<string, unknown>;

/** The catalog's own entities: the same for every viewer, anonymous included. */
const PUBLIC_ENTITY_TYPES = new Set(['Title', 'Episode', 'Genre']);

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
 * order (error paths re-indexed). Entities that came back with an error are not cached.
 * Freshness is bounded by the TTL: the catalog changes through ingestion, not per request;
 * per-viewer data (progress, lists, rows) lives in other subgraphs and is never cached here.
 */
export class EntityCachingDataSource implements GraphQLDataSource {
  private readonly cache: LRUCache<string, object>;
  private readonly queryIds = new Map<string, number>();
  private nextQueryId = 1;
  private readonly entityFetches = new WeakMap<DocumentNode, boolean>();

  private readonly hits;
  private readonly misses;

  constructor(private readonly inner: GraphQLDataSource, options: EntityCacheOptions, subgraph = 'unknown') {
    this.cache = new LRUCache<string, object>({ max: options.maxEntries, ttl: options.ttlSeconds * 1000 });
    this.hits = entityCacheLookups.labels({ subgraph, result: 'hit' });
    this.misses = entityCacheLookups.labels({ subgraph, result: 'miss' });
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
    if (representations.some((r) => !PUBLIC_ENTITY_TYPES.has(r.__typename as string))) return this.inner.process(options);

    const { representations: _all, ...others } = variables!;
    const prefix = `${id}\u0000${Object.keys(others).length ? JSON.stringify(others) : ''}\u0000`;
    const keys = representations.map((r) => prefix + JSON.stringify(r));
    const entities: (object | null)[] = keys.map((k) => this.cache.get(k) ?? null);
    const missing: number[] = [];
    entities.forEach((entity, i) => entity === null && missing.push(i));
    this.hits.inc(entities.length - missing.length);
    this.misses.inc(missing.length);
    if (missing.length === 0) return { data: { _entities: entities } };

    const response = await this.inner.process({
      ...options,
      request: { ...options.request, variables: { ...others, representations: missing.map((i) => representations[i]) } },
    } as GraphQLDataSourceProcessOptions);
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
      if (entity !== null && !failed.has(j)) this.cache.set(keys[missing[j]], entity);
    });
    return { ...response, data: { ...response.data, _entities: entities }, ...(errors ? { errors } : {}) };
  }
}
