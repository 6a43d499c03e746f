import { defaultLanguage } from './defaultLanguage';

describe('defaultLanguage', () => {
  it.each([
    ['US', 'en-US'], ['GB', 'en-GB'], ['CA', 'en-CA'], ['DE', 'de-DE'], ['FR', 'fr-FR'], ['BR', 'pt-BR'],
    ['MX', 'es-MX'], ['IN', 'hi-IN'], ['JP', 'ja-JP'], ['KR', 'ko-KR'], ['AU', 'en-AU'], ['ES', 'es-ES'],
  ])('is the likely language of %s', (country, language) => {
    expect(defaultLanguage(country)).toBe(language);
  });

  it('falls back to en-US for something that is not a region', () => {
    expect(defaultLanguage('not a country')).toBe('en-US');
  });
});
