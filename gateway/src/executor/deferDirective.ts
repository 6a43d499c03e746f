import type { ApolloGateway } from '@apollo/gateway';
import type { Schema, Supergraph } from '@apollo/federation-internals';

/**
 * Makes `@defer` a directive clients may send, whichever executor runs. Stock ApolloGateway
 * builds the schema that requests are validated against without it (`toGraphQLJSSchema()`
 * with no `includeDefer`), so `@defer` fails validation as an unknown directive: an old app
 * that sends it would get nothing. With it declared, our executor delivers it in parts, and
 * under stock's executor (which plans it away) it is answered in one payload, as the spec lets
 * a server do.
 *
 * ApolloGateway keeps this step private (`updateWithSchemaAndNotify`, run at load and on every
 * supergraph change); the API schema it derives is asked to include `@defer`. @apollo/gateway is
 * pinned, and test/defer.test.ts fails if a new version moves it.
 */
export function declareDefer(gateway: ApolloGateway): void {
  const internals = gateway as unknown as { updateWithSchemaAndNotify(supergraph: Supergraph, ...rest: unknown[]): unknown };
  const update = internals.updateWithSchemaAndNotify;
  if (typeof update !== 'function') throw new Error('@apollo/gateway no longer has updateWithSchemaAndNotify: see gateway/src/executor/deferDirective.ts');
  internals.updateWithSchemaAndNotify = function (this: unknown, supergraph: Supergraph, ...rest: unknown[]) {
    const withDefer = Object.create(supergraph, {
      apiSchema: {
        value: (): Schema => {
          const api = supergraph.apiSchema();
          const toGraphQLJSSchema = api.toGraphQLJSSchema.bind(api);
          api.toGraphQLJSSchema = (config) => toGraphQLJSSchema({ includeDefer: true, ...config });
          return api;
        },
      },
    }) as Supergraph;
    return update.call(this, withDefer, ...rest);
  };
}
