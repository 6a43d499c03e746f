import type { Viewer } from '@streaming/shared';
import type { CatalogLoaders } from './loaders/createLoaders';
import type { CatalogRepositories } from './repositories';

export interface CatalogContext {
  loaders: CatalogLoaders;
  repos: CatalogRepositories;
  /** The catalog is public; only search (a profile's) needs a viewer. */
  viewer: Viewer | null;
}
