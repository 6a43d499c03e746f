import { getArgumentValues, isObjectType, Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { ItemsArgs } from '../paging/HomeVisit';

/**
 * The arguments `items` is given under this field (homeRows or homeRow). GraphQL hands a field
 * only its own arguments, but a row's `itemsPageInfo` describes the page `items` returns beside
 * it, and `homeRow(id:)` serves the row from the visit `items(after:)` names; so the parent looks
 * ahead. The first `items` selection counts, fragments included; none: no arguments.
 */
export function itemsArguments(info: GraphQLResolveInfo): ItemsArgs {
  const rowType = info.schema.getType('HomeRow');
  if (!isObjectType(rowType)) return {};
  const visited = new Set<string>();
  const find = (set: SelectionSetNode | undefined): FieldNode | undefined => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === 'items') return selection;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const found = find(selection.selectionSet);
        if (found) return found;
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const found = find(info.fragments[selection.name.value]?.selectionSet);
        if (found) return found;
      }
    }
    return undefined;
  };
  for (const node of info.fieldNodes) {
    const items = find(node.selectionSet);
    if (items) return getArgumentValues(rowType.getFields().items, items, info.variableValues) as ItemsArgs;
  }
  return {};
}
