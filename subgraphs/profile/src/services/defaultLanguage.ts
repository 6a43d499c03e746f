/**
 * A new profile's language when the client gives none: the most likely language of the
 * account's country (CLDR's likely subtags, which ICU ships with Node), e.g. IN -> hi-IN.
 */
export function defaultLanguage(country: string): string {
  try {
    const likely = new Intl.Locale(`und-${country}`).maximize();
    return likely.region ? `${likely.language}-${likely.region}` : 'en-US';
  } catch {
    // Not a region code Intl accepts; accounts are validated elsewhere, so only old data gets here.
    return 'en-US';
  }
}
