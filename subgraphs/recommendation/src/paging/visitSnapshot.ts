import { createHash } from 'node:crypto';
import type { MaturityRating } from '../__generated__/resolvers-types';
import type { HomeRowRecord } from '../domain';

/**
 * A home-screen visit, frozen when it began: every row of the profile's screen as ranked then
 * (empty ones too, in their place), each with all its titles (up to 100), and the rating they
 * were ranked for. Pages of the visit are cut from it, so they never disagree with each other.
 */
export interface VisitSnapshot {
  maturityRating: MaturityRating;
  rows: HomeRowRecord[];
}

/** At most this many rows in a visit: the rows a screen can have (a few fixed ones, then one per genre) fit well within it. */
export const VISIT_MAX_ROWS = 200;

/**
 * A visit is named by its content (128 bits of SHA-256): two visits that ranked the same share
 * one snapshot, and a visit whose snapshot was lost can be recognised if the ranking has not
 * moved since (see RecommendationService.resume).
 */
export function visitIdOf(snapshot: VisitSnapshot): string {
  return serialiseVisit(snapshot).id;
}

/** The snapshot as the shared cache keeps it, and its id: serialised once for both. */
export function serialiseVisit(snapshot: VisitSnapshot): { id: string; json: string } {
  const json = JSON.stringify(snapshot);
  return { id: createHash('sha256').update(json).digest().subarray(0, 16).toString('base64url'), json };
}

/** A row with no title shows only on a page that asks for no titles (as HomeScreen with itemsPerRow: 0 does). */
function shows(row: HomeRowRecord, itemsPerRow: number): boolean {
  return itemsPerRow === 0 || row.itemIds.length > 0;
}

/** The indexes of the first `first` rows after index `afterRow` that a page of `itemsPerRow` shows. */
export function rowsAfter(snapshot: VisitSnapshot, afterRow: number, first: number, itemsPerRow: number): number[] {
  const indexes: number[] = [];
  for (let i = afterRow + 1; i < snapshot.rows.length && indexes.length < first; i += 1) {
    if (shows(snapshot.rows[i], itemsPerRow)) indexes.push(i);
  }
  return indexes;
}

export function hasRowsAfter(snapshot: VisitSnapshot, index: number, itemsPerRow: number): boolean {
  return rowsAfter(snapshot, index, 1, itemsPerRow).length > 0;
}
