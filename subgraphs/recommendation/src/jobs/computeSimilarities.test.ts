import type { TitleFeature } from '../domain';
import { computeSimilarities, NEIGHBOURS } from './computeSimilarities';

const title = (id: string, genreIds: string[], popularity: number): TitleFeature =>
  ({ id, name: id, maturityRating: 'ALL', releaseYear: 2020, addedAt: '2026-01-01T00:00:00.000Z', genreIds, popularity });

describe('computeSimilarities', () => {
  const titles = [title('a', ['x'], 10), title('b', ['x'], 9), title('c', ['y'], 8), title('d', ['y'], 7), title('lonely', ['y'], 1)];
  const histories = new Map([['p1', ['a', 'b', 'c']], ['p2', ['a', 'b']], ['p3', ['a', 'c', 'a']]]);
  const result = computeSimilarities(histories, titles);
  const neighbours = (id: string) => result.filter((s) => s.titleId === id).map((s) => s.similarTitleId);

  it('ranks titles watched by the same people first, by cosine similarity', () => {
    // a-b: 2 together / sqrt(3 * 2); a-c: 2 / sqrt(3 * 2); tie broken by id.
    expect(neighbours('a').slice(0, 2)).toEqual(['b', 'c']);
    expect(neighbours('b')[0]).toBe('a');
  });

  it('falls back to shared genres for titles nobody watched together, below any co-viewing match', () => {
    expect(neighbours('lonely')).toEqual(['c', 'd']);
    const scores = result.filter((s) => s.titleId === 'a');
    const coViewed = scores.filter((s) => s.score >= 1);
    const fallback = scores.filter((s) => s.score < 1);
    expect(coViewed.map((s) => s.similarTitleId)).toEqual(['b', 'c']);
    expect(fallback.every((s) => s.score > 0)).toBe(true);
  });

  it('never lists a title as similar to itself, and keeps at most NEIGHBOURS', () => {
    expect(result.filter((s) => s.titleId === s.similarTitleId)).toEqual([]);
    for (const t of titles) expect(neighbours(t.id).length).toBeLessThanOrEqual(NEIGHBOURS);
  });
});
