import { Kind, parse, visit, type ValueNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/** Per fetch text: whether it names a cursor inline, and which variables would. */
interface AfterArguments {
  literal: boolean;
  variables: string[];
}

/** Fetch texts come from query plans, so they are few; parsed once each. */
const compiled = new LRUCache<string, AfterArguments>({ max: 1_000 });

/**
 * Whether a subgraph fetch pages on from a cursor: a field in it has an `after` argument with a
 * value (Relay's name for "continue from here", and the home rows'). Such an answer belongs to one
 * home-screen visit and no other request will ask for it again, so it is not worth remembering as
 * a last good answer (a day, in Redis) the way a first page is.
 */
export function pagesOnward(query: string, variables: Record<string, unknown>): boolean {
  let found = compiled.get(query);
  if (!found) {
    const result: AfterArguments = { literal: false, variables: [] };
    const note = (value: ValueNode) => {
      if (value.kind === Kind.VARIABLE) result.variables.push(value.name.value);
      else if (value.kind !== Kind.NULL) result.literal = true;
    };
    try {
      visit(parse(query), { Argument: (node) => void (node.name.value === 'after' && note(node.value)) });
    } catch {
      // Not ours to judge: the subgraph answered it.
    }
    compiled.set(query, (found = result));
  }
  return found.literal || found.variables.some((name) => variables[name] != null);
}
