import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { ErrorCode, type Logger } from '@streaming/platform/core';
import type { GraphQLFormattedError } from 'graphql';
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

/**
 * The store behind Apollo Server's persisted-query step. Manifest ids are the SHA-256 of their
 * bodies, the same hash automatic persisted queries (APQ) use, so a registered operation is
 * simply a persisted query that is always there, and Apollo Client's persisted-query link works
 * unchanged. In `enforce` mode nothing else is stored: a client can't register its own text.
 */
export class ManifestFirstCache implements KeyValueCache<string> {
  private readonly bodies: Map<string, string>;

  constructor(manifest: PersistedQueryManifest, private readonly apq: KeyValueCache<string> | undefined) {
    this.bodies = new Map(manifest.operations.map((o) => [o.id, o.body]));
  }

  /** Apollo prefixes its keys (`apq:<sha256>`); the hash is what follows the last colon. */
  private static idOf(key: string): string {
    return key.slice(key.lastIndexOf(':') + 1);
  }

  async get(key: string): Promise<string | undefined> {
    return this.bodies.get(ManifestFirstCache.idOf(key)) ?? (await this.apq?.get(key));
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    if (!this.bodies.has(ManifestFirstCache.idOf(key))) await this.apq?.set(key, value, options);
  }

  async delete(key: string): Promise<boolean | void> {
    return this.apq?.delete(key);
  }
}

/**
 * Trusted documents inside GraphQL. `enforce` is the HTTP gate's job (trustedDocumentsGate.ts:
 * unregistered text is refused there, before parsing). `log` runs everything and reports each
 * unregistered operation once, by name and hash, for the teams to register before enforcing.
 * In every mode, a text sent with the wrong hash is the client's error (400 BAD_REQUEST).
 */
export function trustedDocumentsPlugin(manifest: PersistedQueryManifest, mode: TrustedDocumentsMode, log: Logger): ApolloServerPlugin<BaseContext> {
  const ids = new Set(manifest.operations.map((o) => o.id));
  const reported = new LRUCache<string, true>({ max: 10_000 });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ queryHash, operationName }) {
          if (mode !== 'log' || ids.has(queryHash) || reported.has(queryHash)) return;
          reported.set(queryHash, true);
          log.warn(`unregistered operation ${(operationName ?? 'anonymous operation').slice(0, 80)} (sha256 ${queryHash.slice(0, 12)})`);
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const result = response.body.singleResult;
          // Apollo Server sends this one without a code (so, INTERNAL_SERVER_ERROR): it is the client's.
          result.errors = result.errors!.map((e): GraphQLFormattedError =>
            e.message === 'provided sha does not match query' ? { ...e, extensions: { ...e.extensions, code: ErrorCode.BAD_REQUEST } } : e);
        },
      };
    },
  };
}
