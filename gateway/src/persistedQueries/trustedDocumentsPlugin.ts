import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode, type Logger } from '@streaming/shared';
import { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * `enforce`: only operations in the manifest run (by id, or by their exact registered text).
 * `log`: everything runs; unregistered operations are reported once each. `off`: free-form.
 */
export type TrustedDocumentsMode = 'enforce' | 'log' | 'off';

/** Apollo's persisted query manifest (what `npm run persisted-queries` writes). */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: string; body: string }[];
}

export function readManifest(manifestPath: string): PersistedQueryManifest {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PersistedQueryManifest;
  if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1) {
    throw new Error(`${manifestPath} is not an Apollo persisted query manifest (version 1)`);
  }
  return manifest;
}

function notInList(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_IN_LIST, http: { status: 400 } } });
}

/**
 * Trusted documents (Apollo's persisted query lists): clients send
 * `extensions.persistedQuery.sha256Hash` = a manifest id and no text; the gateway fills in the
 * registered body. Ids are the SHA-256 of the body, the same hash automatic persisted queries
 * use, so Apollo Server's APQ step accepts the filled-in text and Apollo Client's
 * persisted-query link works unchanged.
 */
export function trustedDocumentsPlugin(manifest: PersistedQueryManifest, mode: TrustedDocumentsMode, log: Logger): ApolloServerPlugin<BaseContext> {
  const bodies = new Map(manifest.operations.map((o) => [o.id, o.body]));
  const reported = new LRUCache<string, true>({ max: 10_000 });
  return {
    async requestDidStart({ request }) {
      const id = request.extensions?.persistedQuery?.sha256Hash;
      if (typeof id === 'string' && request.query === undefined) {
        const body = bodies.get(id);
        if (body !== undefined) request.query = body;
        else if (mode === 'enforce') throw notInList(`No registered operation has the id ${id.slice(0, 80)}.`);
      }
      return {
        async didResolveSource({ queryHash, request: { operationName } }) {
          if (bodies.has(queryHash)) return;
          const name = operationName ?? 'anonymous operation';
          if (mode === 'enforce') {
            throw notInList(`Operation ${name.slice(0, 80)} is not registered: this server runs only the operations in its persisted query manifest, sent by id.`);
          }
          if (mode === 'log' && !reported.has(queryHash)) {
            reported.set(queryHash, true);
            log.warn(`unregistered operation ${name.slice(0, 80)} (sha256 ${queryHash.slice(0, 12)})`);
          }
        },
      };
    },
  };
}
