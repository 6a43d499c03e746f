import { allowedRatings, type Maturity } from '@streaming/platform';
import type { CatalogLoaders } from '../loaders/createLoaders';
import type { CatalogRepositories } from '../repositories';
import type { GenreRecord, ProfileReference, TitleRecord } from '../domain';

/**
 * What the catalog does beyond a lookup by id: search, the non-personalised rankings and the genre list. One per request (the
 * context builds it), over the process-wide repositories and that request's loaders.
 */
export class CatalogService {
  constructor(
    private readonly repos: CatalogRepositories,
    private readonly loaders: CatalogLoaders,
  ) {}

  /** Titles matching `text` that `profile` may see, best first. */
  async search(profile: ProfileReference, text: string, first: number): Promise<TitleRecord[]> {
    if (first === 0) return [];
    // The gateway always supplies maturityRating (@requires); if a caller skips it, show only
    // what every profile may see rather than everything.
    const ids = await this.repos.titles.searchIds(text, allowedRatings(profile.maturityRating ?? 'ALL'), first);
    // The titles themselves through the loader: from the shared cache, the misses in one statement.
    const titles = await this.loaders.titleById.loadMany(ids);
    for (const title of titles) if (title instanceof Error) throw title;
    // A title deleted since the search statement is left out.
    return titles.filter((title): title is TitleRecord => title !== null && !(title instanceof Error));
  }

  /** The most popular (or newest) titles a profile of `maxRating` may see. */
  async ranked(order: 'popular' | 'newest', maxRating: Maturity, first: number): Promise<TitleRecord[]> {
    if (first === 0) return [];
    return this.primed(await this.repos.titles.ranked(order, allowedRatings(maxRating), first));
  }

  /** The full records came back with the list; later fields on them need not hit the store. */
  private primed(titles: TitleRecord[]): TitleRecord[] {
    for (const title of titles) this.loaders.titleById.prime(title.id, title);
    return titles;
  }

  genres(): Promise<GenreRecord[]> {
    return this.repos.genres.findAll();
  }
}
