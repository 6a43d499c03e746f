import type DataLoader from 'dataloader';
import type { Viewer } from '@streaming/platform';
import type { HomeVisitCache } from '../caches/HomeVisitCache';
import type { RankingPoolCache } from '../caches/RankingPoolCache';
import type { TitleFeature } from '../domain';
import type { RecommendationLoaders } from '../loaders/createLoaders';
import { HomeCursors } from '../paging/HomeCursors';
import { buildPoolSnapshot, Pool } from '../ranking/pool';
import { RecommendationService } from './RecommendationService';

/** A pool that counts rankings: each (a page, or a visit's whole snapshot) reads the trending list once. */
class CountingPool extends Pool {
  rankings = 0;

  override trending(country: string | undefined): string[] {
    this.rankings += 1;
    return super.trending(country);
  }
}

const features: TitleFeature[] = Array.from({ length: 40 }, (_, i) => ({
  id: `t${i}`, name: `Title ${i}`, maturityRating: 'ALL', releaseYear: 2000 + (i % 20), addedAt: '2026-01-01T00:00:00.000Z',
  genreIds: [i % 2 ? 'comedy' : 'drama'], popularity: 100 - i,
}));

function service(): { recommendations: RecommendationService; pool: CountingPool } {
  const pool = new CountingPool(buildPoolSnapshot({
    features,
    genres: [{ id: 'comedy', name: 'Comedy' }, { id: 'drama', name: 'Drama' }],
    countryStats: features.map((f, i) => ({ titleId: f.id, country: 'US', views: i, trendingScore: i, trendingUpdatedAt: '2026-01-01T00:00:00.000Z' })),
  }));
  const recommendations = new RecommendationService(
    { get: async () => pool } as unknown as RankingPoolCache,
    { activityByProfileId: { load: async () => [] } } as unknown as RecommendationLoaders,
    { load: async () => true } as unknown as DataLoader<string, boolean>,
    // No cursor is handed out here, so no visit is saved.
    { cursors: new HomeCursors('test-secret'), visits: {} as HomeVisitCache, visitSeconds: 600, now: Date.now },
    { accountId: 'a1' } as Viewer,
  );
  return { recommendations, pool };
}

// Two titles on My List: a row shorter than the page.
const profile = { id: 'p1', maturityRating: 'ALL' as const, myList: [{ id: 't3' }, { id: 't7' }], account: { country: 'US' } };

describe('RecommendationService: a home screen first page', () => {
  it('serves every row\'s titles from the page it ranked, short rows included, without ranking the whole visit', async () => {
    const { recommendations, pool } = service();
    const rows = await recommendations.homeRows(profile, { rows: 10, itemsPerRow: 5, items: {} });
    expect(rows.map((r) => r.kind).slice(0, 2)).toEqual(['MY_LIST', 'TRENDING']);
    const items = await Promise.all(rows.map((row) => recommendations.rowItems(row, {})));
    expect(items[0]).toEqual(['t3', 't7']);
    expect(items[1]).toEqual(['t39', 't38', 't37', 't36', 't35']);
    expect(items).toEqual(rows.map((row) => row.itemIds));
    expect(pool.rankings).toBe(1);
  });

  it('reads more titles than the page was cut at from the visit', async () => {
    const { recommendations, pool } = service();
    const [, trending] = await recommendations.homeRows(profile, { rows: 10, itemsPerRow: 5, items: {} });
    expect(await recommendations.rowItems(trending, { first: 8 })).toEqual(['t39', 't38', 't37', 't36', 't35', 't34', 't33', 't32']);
    expect(pool.rankings).toBe(2);
  });
});
