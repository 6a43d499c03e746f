import type { Outcome } from './harness';

/**
 * Divergences that are stock's bug, not ours: each is documented here, and pinned by a test of
 * our executor's behaviour (`pinnedBy`), so that the differential test can stay green without
 * hiding anything. A divergence that matches one is counted under its id in the summary instead
 * of failing the run; one that matches none fails it.
 */
export interface KnownStockBug {
  /** Short and stable, e.g. `entities-null-typename`. */
  id: string;
  /** What stock does, what the spec (or common sense) says, what ours does, and the upstream issue if there is one. */
  description: string;
  /** The test that pins our executor's answer for this case (a path from the repository root). */
  pinnedBy: string;
  /** Whether a divergence is this bug: read the document, both answers and the exchanges. */
  matches(outcome: Outcome): boolean;
}

/** None so far: stock's executor is the oracle until one is found and written up here. */
export const KNOWN_STOCK_BUGS: readonly KnownStockBug[] = [];

export function knownStockBug(outcome: Outcome, bugs: readonly KnownStockBug[] = KNOWN_STOCK_BUGS): KnownStockBug | undefined {
  return bugs.find((bug) => bug.matches(outcome));
}
