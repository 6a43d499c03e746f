/** Vocabulary for generated titles, names and synopses: enough variety to make search useful. */
export const GENRES: ReadonlyArray<readonly [id: string, name: string]> = [
  ['action', 'Action'], ['adventure', 'Adventure'], ['animation', 'Animation'], ['anime', 'Anime'],
  ['biography', 'Biography'], ['comedy', 'Comedy'], ['crime', 'Crime'], ['documentary', 'Documentary'],
  ['docuseries', 'Docuseries'], ['drama', 'Drama'], ['family', 'Family'], ['fantasy', 'Fantasy'],
  ['historical', 'Historical'], ['holiday', 'Holiday'], ['horror', 'Horror'], ['independent', 'Independent'],
  ['international', 'International'], ['k-drama', 'K-Drama'], ['kids', 'Kids'], ['musical', 'Musical'],
  ['mystery', 'Mystery'], ['nature', 'Nature'], ['reality', 'Reality TV'], ['romance', 'Romance'],
  ['sci-fi', 'Sci-Fi'], ['sports', 'Sports'], ['stand-up', 'Stand-Up Comedy'], ['superhero', 'Superhero'],
  ['teen', 'Teen'], ['thriller', 'Thriller'], ['true-crime', 'True Crime'], ['western', 'Western'],
];

/** Genres whose titles are mostly for children, so kids profiles have full rows. */
export const KIDS_GENRES = new Set(['animation', 'family', 'kids', 'nature', 'holiday']);

export const ADJECTIVES = [
  'Silent', 'Crimson', 'Hidden', 'Last', 'Broken', 'Golden', 'Frozen', 'Electric', 'Midnight', 'Wild',
  'Lost', 'Burning', 'Hollow', 'Secret', 'Iron', 'Velvet', 'Distant', 'Savage', 'Quiet', 'Neon',
  'Endless', 'Fallen', 'Brave', 'Little', 'Northern', 'Restless', 'Shattered', 'Sunlit', 'Wicked', 'Starlit',
];
export const NOUNS = [
  'Harbor', 'Kingdom', 'Protocol', 'Garden', 'Signal', 'Empire', 'Horizon', 'River', 'Witness', 'Frontier',
  'Circuit', 'Orchard', 'Lighthouse', 'Dynasty', 'Voyage', 'Mirror', 'Summit', 'Station', 'Legacy', 'Heist',
  'Forest', 'Island', 'Academy', 'Galaxy', 'Detective', 'Dragon', 'Express', 'Republic', 'Symphony', 'Storm',
  'Star', 'Ocean', 'Machine', 'Crown', 'Shadow', 'Paradise', 'Outpost', 'Inheritance', 'Crossing', 'Carnival',
];
export const PLACES = ['Tokyo', 'Lisbon', 'Brooklyn', 'Nairobi', 'Oslo', 'Havana', 'Seoul', 'Marseille', 'Reykjavik', 'Mumbai'];
export const FIRST_NAMES = [
  'Alex', 'Sam', 'Jordan', 'Riley', 'Morgan', 'Casey', 'Taylor', 'Jamie', 'Avery', 'Quinn',
  'Maya', 'Noah', 'Leila', 'Kenji', 'Sofia', 'Mateo', 'Amara', 'Lucas', 'Ines', 'Omar',
];
export const COUNTRIES = ['US', 'GB', 'CA', 'DE', 'FR', 'BR', 'MX', 'IN', 'JP', 'KR', 'AU', 'ES'];
export const LANGUAGES: Record<string, string> = {
  US: 'en-US', GB: 'en-GB', CA: 'en-CA', DE: 'de-DE', FR: 'fr-FR', BR: 'pt-BR',
  MX: 'es-MX', IN: 'hi-IN', JP: 'ja-JP', KR: 'ko-KR', AU: 'en-AU', ES: 'es-ES',
};
export const SYNOPSIS_OPENINGS = [
  'When a stranger arrives with a map nobody can read,',
  'After a decade in exile,',
  'On the night the power fails across the city,',
  'Haunted by a choice made years ago,',
  'With one summer left before everything changes,',
  'Drawn into a rivalry that spans three generations,',
  'Stranded far from home,',
  'Armed with nothing but a borrowed camera,',
];
export const SYNOPSIS_ENDINGS = [
  'a reluctant hero must decide who to trust.',
  'two friends uncover a secret that could tear their town apart.',
  'a family learns that the past never stays buried.',
  'an unlikely crew attempts the impossible.',
  'a young dreamer fights for a place among legends.',
  'a detective follows a trail that leads back to her own door.',
];
