import type { CatalogLoaders } from './loaders/createLoaders';
import type { CatalogService } from './services/CatalogService';

export interface CatalogContext {
  loaders: CatalogLoaders;
  catalog: CatalogService;
}
