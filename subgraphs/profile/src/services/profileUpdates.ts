import { isAllowed } from '@streaming/platform';
import type { UpdateProfileInput } from '../__generated__/resolvers-types';
import type { ProfileRecord } from '../domain';
import type { ProfileFields } from '../repositories/ProfileRepository';
import { KIDS_MAX_RATING, validAvatarUrl, validKidsRating, validLanguage, validName } from './validation';

/**
 * The validated changes `input` makes to the profile as it is now. Pure, so that it runs on the
 * row the update's transaction has locked, not on a copy read (or cached) before it.
 */
export function planProfileUpdate(current: ProfileRecord, input: UpdateProfileInput): Partial<ProfileFields> {
  const changes: Partial<ProfileFields> = {};
  if (input.name != null) changes.name = validName(input.name);
  if (input.avatarUrl != null) changes.avatarUrl = validAvatarUrl(input.avatarUrl);
  if (input.language != null) changes.language = validLanguage(input.language);
  if (input.isKids != null) changes.isKids = input.isKids;
  const isKids = changes.isKids ?? current.isKids;
  if (input.maturityRating != null) {
    changes.maturityRating = validKidsRating(isKids, input.maturityRating);
  } else if (isKids && !isAllowed(current.maturityRating, KIDS_MAX_RATING)) {
    // Turning a profile into a kids profile lowers its rating rather than failing.
    changes.maturityRating = KIDS_MAX_RATING;
  }
  return changes;
}

/**
 * Parental controls: a kids profile stays a kids profile, at its rating or below, unless the
 * account's password comes with the change. A child holding the signed-in device can rename
 * their profile, but not lift its limits.
 */
export function liftsKidsLimits(current: ProfileRecord, changes: Partial<ProfileFields>): boolean {
  if (!current.isKids) return false;
  const leavesKids = changes.isKids === false;
  const raises = changes.maturityRating !== undefined && !isAllowed(changes.maturityRating, current.maturityRating);
  return leavesKids || raises;
}
