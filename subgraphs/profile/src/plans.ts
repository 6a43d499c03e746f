import type { Plan, PlanTier } from './__generated__/resolvers-types';

export type PlanRecord = Omit<Plan, '__typename'>;

/** The plans are product decisions, not data: they change with a release, not at run time. */
export const PLANS: Record<PlanTier, PlanRecord> = {
  BASIC: { tier: 'BASIC', maxConcurrentStreams: 1, maxQuality: 'SD' },
  STANDARD: { tier: 'STANDARD', maxConcurrentStreams: 2, maxQuality: 'HD' },
  PREMIUM: { tier: 'PREMIUM', maxConcurrentStreams: 4, maxQuality: 'UHD' },
};
