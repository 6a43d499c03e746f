import type { Viewer } from '@streaming/platform';
import type { CatalogLoaders } from './loaders/createLoaders';
import type { CatalogService } from './services/CatalogService';

export interface CatalogContext {
  loaders: CatalogLoaders;
  catalog: CatalogService;
  /** The catalog is public; only search (a profile's) needs a viewer. */
  viewer: Viewer | null;
}
