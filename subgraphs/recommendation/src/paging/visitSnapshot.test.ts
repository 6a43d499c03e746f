import type { HomeRowRecord } from '../domain';
import { hasRowsAfter, rowsAfter, visitIdOf, type VisitSnapshot } from './visitSnapshot';

const row = (key: string, items: number): HomeRowRecord =>
  ({ id: `p:${key}`, kind: 'GENRE', title: key, itemIds: Array.from({ length: items }, (_, i) => `${key}${i}`) });
const snapshot: VisitSnapshot = { maturityRating: 'ALL', rows: [row('a', 2), row('b', 0), row('c', 1), row('d', 3), row('e', 0)] };

describe('a visit snapshot', () => {
  it('pages its rows after an index, leaving empty rows out unless a page asks for no titles', () => {
    expect(rowsAfter(snapshot, -1, 2, 5)).toEqual([0, 2]);
    expect(rowsAfter(snapshot, 0, 5, 5)).toEqual([2, 3]);
    expect(rowsAfter(snapshot, 3, 5, 5)).toEqual([]);
    expect(rowsAfter(snapshot, 0, 5, 0)).toEqual([1, 2, 3, 4]);
    expect(rowsAfter(snapshot, 0, 0, 5)).toEqual([]);
  });

  it('knows whether rows follow one, as a page of that size would show them', () => {
    expect(hasRowsAfter(snapshot, 2, 5)).toBe(true);
    expect(hasRowsAfter(snapshot, 3, 5)).toBe(false);
    expect(hasRowsAfter(snapshot, 3, 0)).toBe(true);
    expect(hasRowsAfter(snapshot, 4, 0)).toBe(false);
  });

  it('is named by its content: the same rows get the same id, any change another', () => {
    const id = visitIdOf(snapshot);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(visitIdOf(JSON.parse(JSON.stringify(snapshot)))).toBe(id);
    expect(visitIdOf({ ...snapshot, maturityRating: 'SEVEN_PLUS' })).not.toBe(id);
    expect(visitIdOf({ ...snapshot, rows: [snapshot.rows[2], snapshot.rows[0], ...snapshot.rows.slice(3)] })).not.toBe(id);
    expect(visitIdOf({ ...snapshot, rows: [{ ...snapshot.rows[0], itemIds: ['a1', 'a0'] }, ...snapshot.rows.slice(1)] })).not.toBe(id);
  });
});
