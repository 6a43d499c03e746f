import type DataLoader from 'dataloader';
import type { Viewer } from '@streaming/shared';
import type { PoolProvider } from './loaders/PoolProvider';
import type { RecommendationLoaders } from './loaders/createLoaders';

export interface RecommendationContext {
  loaders: RecommendationLoaders;
  pool: PoolProvider;
  viewer: Viewer | null;
  /** Profile id -> whether it is one of the viewer's profiles (UNAUTHENTICATED when anonymous). */
  ownsProfile: DataLoader<string, boolean>;
}
