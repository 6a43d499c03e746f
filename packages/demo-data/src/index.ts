export * from './generateDataset';
export { Random } from './random';
export { LANGUAGES, COUNTRIES } from './words';
