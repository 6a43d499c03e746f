export * from './generateDataset';
export { Random } from './random';
export {
  ADJECTIVES, COUNTRIES, FIRST_NAMES, GENRES, LANGUAGES, NOUNS, PLACES, SYNOPSIS_ENDINGS, SYNOPSIS_OPENINGS,
} from './words';
