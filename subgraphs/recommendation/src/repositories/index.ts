import type { RecommendationPrisma } from '../prisma';
import { ActivityRepository } from './ActivityRepository';
import { FeatureRepository } from './FeatureRepository';
import { ReadModelRepository } from './ReadModelRepository';
import { SimilarityRepository } from './SimilarityRepository';

export interface RecommendationRepositories {
  activity: ActivityRepository;
  features: FeatureRepository;
  similarities: SimilarityRepository;
  readModel: ReadModelRepository;
}

export function createRepositories(prisma: RecommendationPrisma): RecommendationRepositories {
  return {
    activity: new ActivityRepository(prisma),
    features: new FeatureRepository(prisma),
    similarities: new SimilarityRepository(prisma),
    readModel: new ReadModelRepository(prisma),
  };
}
