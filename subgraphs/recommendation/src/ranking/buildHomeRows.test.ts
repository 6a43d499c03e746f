import type { TitleFeature } from '../domain';
import { buildHomeRows } from './buildHomeRows';
import { buildPoolSnapshot, Pool } from './pool';
import { rowsAfter } from '../paging/visitSnapshot';

const feature = (id: string, maturityRating: TitleFeature['maturityRating'], genreIds: string[], popularity: number, releaseYear = 2020): TitleFeature =>
  ({ id, name: `Title ${id}`, maturityRating, releaseYear, addedAt: '2026-01-01T00:00:00.000Z', genreIds, popularity });

const features = [
  feature('a', 'ALL', ['kids'], 90), feature('b', 'EIGHTEEN_PLUS', ['thriller'], 80), feature('c', 'SEVEN_PLUS', ['kids', 'comedy'], 70, 2026),
  feature('d', 'THIRTEEN_PLUS', ['comedy'], 60), feature('e', 'ALL', ['comedy'], 50), feature('f', 'SIXTEEN_PLUS', ['thriller'], 40, 2025),
];
const pool = new Pool(buildPoolSnapshot({
  features,
  genres: [{ id: 'comedy', name: 'Comedy' }, { id: 'kids', name: 'Kids' }, { id: 'thriller', name: 'Thriller' }],
  countryStats: features.map((f, i) => ({ titleId: f.id, country: 'US', views: 100 - i, trendingScore: i, trendingUpdatedAt: '2026-01-01T00:00:00.000Z' })),
}));

const input = {
  profileId: 'p1', maturityRating: 'EIGHTEEN_PLUS' as const, country: 'US', myListIds: ['d', 'a', 'd'],
  activity: [
    { titleId: 'b', lastWatchedAt: '2026-02-02T00:00:00Z', completed: false, similarIds: ['b', 'f', 'd'] },
    { titleId: 'e', lastWatchedAt: '2026-02-01T00:00:00Z', completed: true, similarIds: ['a'] },
  ],
  rows: 50,
  itemsPerRow: 10,
};

describe('buildHomeRows', () => {
  it('orders rows by intent and fills them from the pool', () => {
    const rows = buildHomeRows(pool, input);
    expect(rows.map((r) => r.kind)).toEqual([
      'CONTINUE_WATCHING', 'MY_LIST', 'TRENDING', 'TOP_10', 'BECAUSE_YOU_WATCHED', 'BECAUSE_YOU_WATCHED', 'NEW_RELEASES', 'GENRE', 'GENRE', 'GENRE',
    ]);
    expect(rows[0].itemIds).toEqual(['b']);
    expect(rows[1].itemIds).toEqual(['d', 'a']);
    expect(rows[2].itemIds).toEqual(['f', 'e', 'd', 'c', 'b', 'a']);
    expect(rows[3].itemIds).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(rows[4]).toMatchObject({ title: 'Because you watched Title b', itemIds: ['f', 'd'] });
    expect(rows[6].itemIds.slice(0, 2)).toEqual(['c', 'f']);
    // Affinity: comedy 3 (e watched, d listed twice), kids 1 (a), thriller 1 (b); kids and
    // thriller also tie on size (2 titles each), so the genre id decides.
    expect(rows.slice(7).map((r) => r.title)).toEqual(['Comedy', 'Kids', 'Thriller']);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  it('never includes a title above the profile rating and drops rows left empty', () => {
    const rows = buildHomeRows(pool, { ...input, maturityRating: 'SEVEN_PLUS' });
    const allowed = new Set(['a', 'c', 'e']);
    for (const row of rows) for (const id of row.itemIds) expect(allowed.has(id)).toBe(true);
    expect(rows.map((r) => r.kind)).not.toContain('CONTINUE_WATCHING');
    expect(rows.filter((r) => r.kind === 'GENRE').map((r) => r.title)).toEqual(['Comedy', 'Kids']);
  });

  it('respects rows and itemsPerRow', () => {
    const rows = buildHomeRows(pool, { ...input, rows: 3, itemsPerRow: 2 });
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.itemIds.length).toBeLessThanOrEqual(2);
  });

  it('keeps empty rows when asked (a visit snapshot), in their place', () => {
    const rows = buildHomeRows(pool, { ...input, maturityRating: 'SEVEN_PLUS', keepEmptyRows: true });
    expect(rows[0]).toMatchObject({ kind: 'CONTINUE_WATCHING', itemIds: [] });
    expect(rows.filter((r) => r.itemIds.length > 0)).toEqual(buildHomeRows(pool, { ...input, maturityRating: 'SEVEN_PLUS' }));
  });

  it('gives, for any smaller screen, a prefix of the whole screen: what paging through a visit relies on', () => {
    for (const maturityRating of ['SEVEN_PLUS', 'EIGHTEEN_PLUS'] as const) {
      const whole = { maturityRating, rows: buildHomeRows(pool, { ...input, maturityRating, rows: 100, itemsPerRow: 100, keepEmptyRows: true }) };
      for (const rows of [0, 1, 3, 50]) {
        for (const itemsPerRow of [0, 1, 2, 5]) {
          const paged = rowsAfter(whole, -1, rows, itemsPerRow).map((i) => ({ ...whole.rows[i], itemIds: whole.rows[i].itemIds.slice(0, itemsPerRow) }));
          expect({ rows, itemsPerRow, paged }).toEqual({ rows, itemsPerRow, paged: buildHomeRows(pool, { ...input, maturityRating, rows, itemsPerRow }) });
        }
      }
    }
  });
});
