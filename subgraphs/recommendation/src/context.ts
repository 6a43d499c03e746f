import type { PoolProvider } from './loaders/PoolProvider';
import type { RecommendationLoaders } from './loaders/createLoaders';

export interface RecommendationContext {
  loaders: RecommendationLoaders;
  pool: PoolProvider;
}
