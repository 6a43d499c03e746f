import type DataLoader from 'dataloader';
import { isAllowed } from '@streaming/platform';
import type { MaturityRating } from '../__generated__/resolvers-types';
import type { RankingPoolCache } from '../caches/RankingPoolCache';
import type { HomeRowRecord, ProfileRepresentation, TitleReference } from '../domain';
import type { RecommendationLoaders } from '../loaders/createLoaders';
import { buildHomeRows } from '../ranking/buildHomeRows';

/**
 * The ranking rules a request applies, over the shared pool (process-wide) and this request's
 * loaders: built once per request by the context, so resolvers only check arguments and map.
 */
export class RecommendationService {
  constructor(
    private readonly pool: RankingPoolCache,
    private readonly loaders: RecommendationLoaders,
    /** Profile id -> whether it is one of the viewer's profiles (UNAUTHENTICATED when anonymous). */
    private readonly ownsProfile: DataLoader<string, boolean>,
  ) {}

  async homeRows(profile: ProfileRepresentation, rows: number, itemsPerRow: number): Promise<HomeRowRecord[]> {
    // The gateway only asks about the viewer's profiles; a direct call about another account's
    // profile gets no rows (its activity and list are its own).
    if (!(await this.ownsProfile.load(profile.id))) return [];
    if (rows === 0) return [];
    const [shared, activity] = await Promise.all([this.pool.get(), this.loaders.activityByProfileId.load(profile.id)]);
    return buildHomeRows(shared, {
      profileId: profile.id,
      // The gateway always supplies these (@requires); without them, the safest reading.
      maturityRating: profile.maturityRating ?? 'ALL',
      country: profile.account?.country,
      myListIds: (profile.myList ?? []).map((t) => t.id),
      activity,
      rows,
      itemsPerRow,
    });
  }

  /** Titles like `titleId`, best first; with a profile, none above its rating. */
  async similar(titleId: string, first: number, profileId?: string | null): Promise<TitleReference[] | null> {
    if (first === 0) return [];
    const [ids, shared, rating] = await Promise.all([
      this.loaders.similarByTitleId.load(titleId),
      this.pool.get(),
      profileId ? this.loaders.maturityByProfileId.load(profileId) : Promise.resolve(undefined),
    ]);
    // Another account's profile and an unknown one look the same: null.
    if (rating === null) return null;
    const limit: MaturityRating | undefined = rating;
    return ids
      .filter((id) => id !== titleId)
      .filter((id) => {
        const feature = shared.features.get(id);
        return feature !== undefined && (limit === undefined || isAllowed(feature.maturityRating, limit));
      })
      .slice(0, first)
      .map((id) => ({ id }));
  }
}
