import { PrismaClient } from './__generated__/prisma/client';

export type RecommendationPrisma = PrismaClient;
export const createRecommendationPrisma = (options: ConstructorParameters<typeof PrismaClient>[0]) => new PrismaClient(options);
