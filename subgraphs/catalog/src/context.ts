import type { CatalogLoaders } from './loaders/createLoaders';
import type { CatalogRepositories } from './repositories';

export interface CatalogContext {
  loaders: CatalogLoaders;
  repos: CatalogRepositories;
}
