import { badUserInput, maturityRank, type Maturity } from '@streaming/platform';

export const NAME_MAX_LENGTH = 50;
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Z]{2}|-[0-9]{3})?$/;

export function validName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0) throw badUserInput('name must not be empty', 'name');
  if (name.length > NAME_MAX_LENGTH) throw badUserInput(`name must be at most ${NAME_MAX_LENGTH} characters, got ${name.length}`, 'name');
  return name;
}

export function validLanguage(language: string): string {
  if (!LANGUAGE_TAG.test(language)) {
    throw badUserInput(`language must be a BCP 47 tag such as en-US or fr, got "${language}"`, 'language');
  }
  return language;
}

export function validAvatarUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badUserInput(`avatarUrl must be an absolute https URL, got "${url}"`, 'avatarUrl');
  }
  if (parsed.protocol !== 'https:') throw badUserInput(`avatarUrl must use https, got "${url}"`, 'avatarUrl');
  return url;
}

/** Kids profiles are capped at SEVEN_PLUS; that cap is what makes a profile safe to hand a child. */
export const KIDS_MAX_RATING: Maturity = 'SEVEN_PLUS';

export function validKidsRating(isKids: boolean, rating: Maturity): Maturity {
  if (isKids && maturityRank(rating) > maturityRank(KIDS_MAX_RATING)) {
    throw badUserInput(`a kids profile can be rated at most ${KIDS_MAX_RATING}, got ${rating}`, 'maturityRating');
  }
  return rating;
}
