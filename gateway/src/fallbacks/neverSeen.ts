import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Kind, type DocumentNode, type FieldNode, type SelectionSetNode } from 'graphql';
import { responseObject } from '../responseObject';

export type Representation = Record<string, unknown>;

export interface NeverSeenInput {
  representation: Representation;
  /** The failed `_entities` fetch's document: which fields of the entity were asked. */
  document: DocumentNode;
  /** The failed fetch's options (its variables, and its context for calls made on its behalf). */
  options: GraphQLDataSourceProcessOptions;
}

/** What a failing subgraph's entity becomes when no good answer for it was ever remembered. */
export type NeverSeenFallback = (input: NeverSeenInput) => Promise<object>;

/** The fields the fetch asks of an entity of `typename` (its `_entities { ... on T { ... } }`). */
export function entityFields(document: DocumentNode, typename: string): FieldNode[] {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const entities = operation && 'selectionSet' in operation ? (operation.selectionSet as SelectionSetNode).selections[0] : undefined;
  const selections = entities?.kind === Kind.FIELD ? entities.selectionSet?.selections ?? [] : [];
  return selections.flatMap((selection) =>
    selection.kind === Kind.INLINE_FRAGMENT && selection.typeCondition?.name.value === typename
      ? selection.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD)
      : selection.kind === Kind.FIELD ? [selection] : []);
}

/** The response key of a field: its alias, else its name. */
export function responseKey(field: FieldNode): string {
  return field.alias?.value ?? field.name.value;
}

/**
 * Every field this subgraph contributes to an entity is a list, so empty lists are what the screen
 * can render without it: the rows are missing, the rest of the profile or title is not.
 */
export const emptyEntity: NeverSeenFallback = async ({ representation, document }) => {
  const typename = String(representation.__typename);
  const entity: Record<string, unknown> = responseObject();
  entity.__typename = typename;
  for (const field of entityFields(document, typename)) {
    if (field.name.value !== '__typename') entity[responseKey(field)] = [];
  }
  return entity;
};
