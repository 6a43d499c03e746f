import type { MaturityRating, PlanTier } from './__generated__/resolvers-types';

/** Cached, JSON-safe records; resolvers fill the GraphQL types from these. */
export interface AccountRecord {
  id: string;
  email: string;
  country: string;
  planTier: PlanTier;
}

export interface ProfileRecord {
  id: string;
  accountId: string;
  name: string;
  avatarUrl: string;
  isKids: boolean;
  maturityRating: MaturityRating;
  language: string;
}

export interface TitleReference {
  id: string;
}

/** An account holds at most this many profiles, as on every plan of the real service. */
export const MAX_PROFILES_PER_ACCOUNT = 5;
