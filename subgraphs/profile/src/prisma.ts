import { PrismaClient } from './__generated__/prisma/client';

export type ProfilePrisma = PrismaClient;
export const createProfilePrisma = (options: ConstructorParameters<typeof PrismaClient>[0]) => new PrismaClient(options);
