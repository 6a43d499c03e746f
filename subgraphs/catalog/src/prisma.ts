import { PrismaClient } from './__generated__/prisma/client';

export type CatalogPrisma = PrismaClient;
export const createCatalogPrisma = (options: ConstructorParameters<typeof PrismaClient>[0]) => new PrismaClient(options);
