/**
 * Maturity ratings are ordered: a profile rated SEVEN_PLUS may watch ALL and SEVEN_PLUS titles.
 * Every subgraph that filters by maturity (catalog search, recommendation rows, similar titles)
 * compares through this one table.
 */
export const MATURITY_ORDER = ['ALL', 'SEVEN_PLUS', 'THIRTEEN_PLUS', 'SIXTEEN_PLUS', 'EIGHTEEN_PLUS'] as const;
export type Maturity = (typeof MATURITY_ORDER)[number];

export function maturityRank(rating: Maturity): number {
  return MATURITY_ORDER.indexOf(rating);
}

/** True when a title rated `title` may be shown to a profile rated `profile`. */
export function isAllowed(title: Maturity, profile: Maturity): boolean {
  return maturityRank(title) <= maturityRank(profile);
}

/** The ratings a profile may see, for `WHERE maturity_rating IN (...)`. */
export function allowedRatings(profile: Maturity): Maturity[] {
  return MATURITY_ORDER.slice(0, maturityRank(profile) + 1);
}
