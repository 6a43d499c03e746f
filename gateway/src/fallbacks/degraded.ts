import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

const degradedByRequest = new WeakMap<object, Set<string>>();

/** Records that this request's answer from `serviceName` came from a fallback. */
export function markDegraded(contextValue: object | undefined, serviceName: string): void {
  if (!contextValue) return;
  const services = degradedByRequest.get(contextValue) ?? new Set<string>();
  services.add(serviceName);
  degradedByRequest.set(contextValue, services);
}

/** The subgraphs whose answers to this request came from a fallback so far, sorted. */
export function degradedServices(contextValue: object | undefined): string[] {
  return contextValue ? [...(degradedByRequest.get(contextValue) ?? [])].sort() : [];
}

/** Whether any part of this request's answer came from a fallback. */
export function isDegraded(contextValue: object | undefined): boolean {
  return !!contextValue && (degradedByRequest.get(contextValue)?.size ?? 0) > 0;
}

/**
 * Degraded beats broken, but it must say so: a response built partly from fallbacks carries
 * `extensions.degraded: ["recommendation", ...]`, so clients can show it and dashboards count it.
 */
export function degradedPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const services = degradedByRequest.get(contextValue);
          if (!services?.size || response.body.kind !== 'single') return;
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, degraded: [...services].sort() };
        },
      };
    },
  };
}
