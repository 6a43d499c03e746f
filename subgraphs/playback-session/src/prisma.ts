import { PrismaClient } from './__generated__/prisma/client';

export type PlaybackPrisma = PrismaClient;
export const createPlaybackPrisma = (options: ConstructorParameters<typeof PrismaClient>[0]) => new PrismaClient(options);
