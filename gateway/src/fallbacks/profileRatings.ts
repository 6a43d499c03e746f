import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Kind, parse, visit, type DocumentNode } from 'graphql';

/** The argument through which a fetch names a profile its answer depends on (`similar(profileId:)`). */
const PROFILE_ARGUMENT = 'profileId';

type Named = { variable: string } | { literal: string };
const namedByDocument = new WeakMap<DocumentNode, Named[]>();

/**
 * The profiles a fetch names in `profileId` arguments (literals, or variables of the fetch): an
 * answer that depends on a profile its representations don't carry (a title's similar titles
 * for a profile, which hold only what that profile's rating allows).
 */
export function profilesNamed(document: DocumentNode, variables: Record<string, unknown>): string[] {
  let named = namedByDocument.get(document);
  if (!named) {
    const found: Named[] = [];
    visit(document, {
      Argument(node) {
        if (node.name.value !== PROFILE_ARGUMENT) return;
        if (node.value.kind === Kind.VARIABLE) found.push({ variable: node.value.name.value });
        else if (node.value.kind === Kind.STRING) found.push({ literal: node.value.value });
      },
    });
    namedByDocument.set(document, (named = found));
  }
  const ids = named.map((n) => ('literal' in n ? n.literal : variables[n.variable])).filter((id): id is string => typeof id === 'string');
  return [...new Set(ids)].sort();
}

const RATINGS = 'query LastGoodProfileRatings($representations:[_Any!]!){_entities(representations:$representations){...on Profile{maturityRating}}}';
const RATINGS_DOCUMENT = parse(RATINGS);

/** The profiles' current maturity ratings, in order, or undefined when any can't be had. */
export type ProfileRatings = (ids: readonly string[], options: GraphQLDataSourceProcessOptions) => Promise<string | undefined>;

/**
 * Asks the profile subgraph, on the fetch's behalf (its viewer's credential): a profile of
 * another account, or one that doesn't exist, has no rating for this viewer, and neither does a
 * profile subgraph that fails.
 */
export function profileRatings(profile: () => GraphQLDataSource | undefined): ProfileRatings {
  return async (ids, options) => {
    const source = profile();
    if (!source) return undefined;
    try {
      const response = await source.process({
        ...options,
        document: RATINGS_DOCUMENT,
        request: { query: RATINGS, variables: { representations: ids.map((id) => ({ __typename: 'Profile', id })) } },
      } as GraphQLDataSourceProcessOptions);
      const entities = response.data?._entities as ({ maturityRating?: unknown } | null)[] | undefined;
      if (response.errors?.length || !Array.isArray(entities) || entities.length !== ids.length) return undefined;
      const ratings = entities.map((entity) => entity?.maturityRating);
      return ratings.every((rating) => typeof rating === 'string') ? ratings.join(',') : undefined;
    } catch {
      return undefined;
    }
  };
}
