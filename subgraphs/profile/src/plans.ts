import type { PlanTier } from '@streaming/shared';

export interface PlanRecord {
  tier: PlanTier;
  maxConcurrentStreams: number;
  maxQuality: 'SD' | 'HD' | 'UHD';
}

/** The plans are product decisions, not data: they change with a release, not at run time. */
export const PLANS: Record<PlanTier, PlanRecord> = {
  BASIC: { tier: 'BASIC', maxConcurrentStreams: 1, maxQuality: 'SD' },
  STANDARD: { tier: 'STANDARD', maxConcurrentStreams: 2, maxQuality: 'HD' },
  PREMIUM: { tier: 'PREMIUM', maxConcurrentStreams: 4, maxQuality: 'UHD' },
};
