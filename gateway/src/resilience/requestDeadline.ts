import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

const deadlines = new WeakMap<object, number>();

/**
 * Gives every request an overall deadline from the moment it arrives. Subgraph fetches read it
 * (see TimeoutDataSource), so however many fetches a query plan chains, the request as a whole
 * is bounded; a fetch that would outlive it is cut to what remains.
 */
export function requestDeadlinePlugin(deadlineMs: number): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart({ contextValue }) {
      deadlines.set(contextValue, Date.now() + deadlineMs);
    },
  };
}

/** The epoch-ms deadline of the request whose context this is, if it has one. */
export function deadlineOf(contextValue: object | undefined): number | undefined {
  return contextValue ? deadlines.get(contextValue) : undefined;
}
