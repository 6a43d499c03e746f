import type { Viewer } from '@streaming/platform';
import type { RecommendationLoaders } from './loaders/createLoaders';
import type { RecommendationService } from './services/RecommendationService';

export interface RecommendationContext {
  loaders: RecommendationLoaders;
  recommendations: RecommendationService;
  viewer: Viewer | null;
}
