import type { CatalogPrisma } from '../prisma';
import { EpisodeRepository } from './EpisodeRepository';
import { GenreRepository } from './GenreRepository';
import { TitleRepository } from './TitleRepository';

export interface CatalogRepositories {
  titles: TitleRepository;
  genres: GenreRepository;
  episodes: EpisodeRepository;
}

export function createRepositories(prisma: CatalogPrisma): CatalogRepositories {
  return { titles: new TitleRepository(prisma), genres: new GenreRepository(prisma), episodes: new EpisodeRepository(prisma) };
}
