import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, parse, type DocumentNode, type SelectionSetNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { markDegraded } from './degraded';
import type { GatewayContext } from '../auth/gatewayContext';

export interface LastGoodOptions {
  /** How long a good answer may stand in for a failing subgraph. @default 86400 (a day) */
  maxAgeSeconds: number;
  maxEntries: number;
}

type Representation = Record<string, unknown>;

/**
 * Stale-if-error for a subgraph whose entities are per viewer (recommendation: a profile's home
 * rows, a title's similar titles). Every good `_entities` answer is remembered per entity; when
 * the subgraph fails (down, timed out, circuit open), the last good answer for that entity is
 * served instead and the response is flagged `degraded`.
 *
 * The key is the viewer's account, the fetch text and variables, and the representation's typename, id and maturity
 * rating: the rows a kids profile gets back are rows that were computed for a kids profile, so a
 * fallback never shows more than the profile would normally see. An entity never seen before gets
 * empty lists for the fields asked (every field this subgraph contributes is a list): the screen
 * renders without those rows rather than losing the whole profile.
 *
 * Kept in this gateway's memory, bounded by `maxEntries`.
 */
export class LastGoodDataSource implements GraphQLDataSource {
  private readonly cache: LRUCache<string, object>;

  constructor(private readonly inner: GraphQLDataSource, private readonly serviceName: string, options: LastGoodOptions) {
    this.cache = new LRUCache<string, object>({ max: options.maxEntries, ttl: options.maxAgeSeconds * 1000 });
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const representations = options.request.variables?.representations as Representation[] | undefined;
    if (!Array.isArray(representations) || !options.request.query?.startsWith('query')) return this.inner.process(options);
    const { representations: _all, ...others } = options.request.variables!;
    // Per viewer: an answer remembered for one account is never served to another, even where the
    // arguments match (`similar(profileId:)` naming someone else's profile is null for them).
    const viewer = (options.context as Partial<GatewayContext> | undefined)?.viewer?.accountId ?? '';
    const prefix = `${viewer}\u0000${options.request.query}\u0000${JSON.stringify(others)}\u0000`;
    const keys = representations.map((r) => prefix + JSON.stringify([r.__typename, r.id, r.maturityRating ?? null]));
    let response: GatewayGraphQLResponse;
    try {
      response = await this.inner.process(options);
    } catch (err) {
      markDegraded(options.context, this.serviceName);
      // The planner hands each fetch its parsed document (`exposeDocumentNodeInFetchNode` in server.ts).
      const document = ('document' in options && options.document) || parse(options.request.query);
      return {
        data: { _entities: representations.map((r, i) => this.cache.get(keys[i]) ?? emptyEntity(document, String(r.__typename))) },
      };
    }
    const entities = response.data?._entities as (object | null)[] | undefined;
    if (Array.isArray(entities)) {
      const failed = new Set((response.errors ?? []).map((e) => e.path?.[1]).filter((i) => typeof i === 'number'));
      entities.forEach((entity, i) => entity && !failed.has(i) && this.cache.set(keys[i], entity));
    }
    return response;
  }
}

/** The entity's selected fields as empty lists: what the screen can render without this subgraph. */
function emptyEntity(document: DocumentNode, typename: string): object {
  const entity: Record<string, unknown> = { __typename: typename };
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const entitiesField = operation && 'selectionSet' in operation ? (operation.selectionSet as SelectionSetNode).selections[0] : undefined;
  const selections = entitiesField && entitiesField.kind === Kind.FIELD ? entitiesField.selectionSet?.selections ?? [] : [];
  for (const selection of selections) {
    const fields =
      selection.kind === Kind.INLINE_FRAGMENT && selection.typeCondition?.name.value === typename ? selection.selectionSet.selections
        : selection.kind === Kind.FIELD ? [selection]
          : [];
    for (const field of fields) {
      if (field.kind !== Kind.FIELD || field.name.value === '__typename') continue;
      entity[field.alias?.value ?? field.name.value] = [];
    }
  }
  return entity;
}
