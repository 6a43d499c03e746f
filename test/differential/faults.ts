import type { Random } from '@streaming/demo-data';
import { CLEAN_PREFIX } from './documentCase';
import { randomFrom, unitHash } from './hash';

/** A whole subgraph request fails: decided per (document, subgraph), so batching can't change who fails. */
export type RequestFault = 'http-500' | 'http-503' | 'reset' | 'timeout' | 'errors-only' | 'bad-json';
/** One root field or one entity is broken: decided per (document, subgraph, field or representation). */
export type ItemFault = 'null' | 'error' | 'error-no-path' | 'null-inside' | 'error-inside';

const REQUEST_FAULTS: ReadonlyArray<readonly [RequestFault, number]> = [
  // Timeouts are the dear ones (each costs a fetch timeout of waiting), so the rarest.
  ['http-500', 3], ['http-503', 1], ['reset', 2], ['timeout', 1], ['errors-only', 2], ['bad-json', 1],
];
const ITEM_FAULTS: ReadonlyArray<readonly [ItemFault, number]> = [
  ['null', 2], ['error', 3], ['error-no-path', 1], ['null-inside', 3], ['error-inside', 3],
];
/** Codes an injected error carries: none (stock files it under DOWNSTREAM_SERVICE_ERROR), known ones, and one stock doesn't know. */
const CODES: ReadonlyArray<string | undefined> = [undefined, 'NOT_FOUND', 'INTERNAL_SERVER_ERROR', 'FORBIDDEN', 'INJECTED_FAULT'];

export interface FaultSettings {
  seed: number;
  /** Share of documents that get faults at all (the rest check the happy path byte for byte). @default 0.6 */
  faultyDocuments?: number;
  /** Chance that a subgraph fails whole for a faulty document. @default 0.08 */
  requestRate?: number;
  /** Chance that an item is broken, per faulty document; each document draws its own from this range. @default [0.02, 0.2] */
  itemRate?: readonly [number, number];
}

export interface DecidedItemFault {
  kind: ItemFault;
  code: string | undefined;
  /** Picks where inside the item a nested fault lands. */
  random: Random;
}

function weighted<T>(roll: number, choices: ReadonlyArray<readonly [T, number]>): T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let left = roll * total;
  for (const [value, weight] of choices) {
    left -= weight;
    if (left < 0) return value;
  }
  return choices[choices.length - 1][0];
}

export class FaultPlan {
  constructor(private readonly settings: FaultSettings) {}

  private faulty(documentId: string): boolean {
    if (documentId.startsWith(CLEAN_PREFIX)) return false;
    return unitHash(this.settings.seed, 'faulty', documentId) < (this.settings.faultyDocuments ?? 0.6);
  }

  requestFault(documentId: string | undefined, subgraph: string): RequestFault | undefined {
    if (documentId === undefined || !this.faulty(documentId)) return undefined;
    if (unitHash(this.settings.seed, 'request', documentId, subgraph) >= (this.settings.requestRate ?? 0.08)) return undefined;
    return weighted(unitHash(this.settings.seed, 'request-kind', documentId, subgraph), REQUEST_FAULTS);
  }

  /**
   * How long a subgraph's answers are held back for a document (0: not at all): slow but in time,
   * so fetches running in parallel finish in another order than they started.
   */
  delayMs(documentId: string | undefined, subgraph: string): number {
    if (documentId === undefined || !this.faulty(documentId)) return 0;
    if (unitHash(this.settings.seed, 'slow', documentId, subgraph) >= 0.25) return 0;
    return Math.round(5 + 95 * unitHash(this.settings.seed, 'slow-ms', documentId, subgraph));
  }

  itemFault(documentId: string | undefined, subgraph: string, faultKey: string): DecidedItemFault | undefined {
    if (documentId === undefined || !this.faulty(documentId)) return undefined;
    // Each faulty document has its own rate, from a few broken entities to a fifth of them.
    const [low, high] = this.settings.itemRate ?? [0.02, 0.2];
    const rate = low + (high - low) * unitHash(this.settings.seed, 'rate', documentId);
    if (unitHash(this.settings.seed, 'item', documentId, subgraph, faultKey) >= rate) return undefined;
    const random = randomFrom(this.settings.seed, 'item-detail', documentId, subgraph, faultKey);
    return { kind: weighted(random.next(), ITEM_FAULTS), code: random.pick(CODES), random };
  }
}

export type JsonPath = Array<string | number>;

/** A path to somewhere inside `value` (an object key or a list index, at a random depth), or undefined for a leaf. */
export function pathInside(value: unknown, random: Random): JsonPath | undefined {
  const path: JsonPath = [];
  let current = value;
  for (;;) {
    let next: unknown;
    if (Array.isArray(current)) {
      if (current.length === 0) break;
      const index = random.int(0, current.length - 1);
      path.push(index);
      next = current[index];
    } else if (current !== null && typeof current === 'object') {
      const keys = Object.keys(current).filter((k) => k !== '__typename');
      if (keys.length === 0) break;
      const key = random.pick(keys);
      path.push(key);
      next = (current as Record<string, unknown>)[key];
    } else break;
    if (next === null || typeof next !== 'object' || !random.chance(0.5)) break;
    current = next;
  }
  // A path ending on a list index with nothing under it is fine: that element becomes null.
  return path.length > 0 ? path : undefined;
}

export function setAt(value: unknown, path: JsonPath, replacement: unknown): void {
  let current = value as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) current = current[step] as Record<string | number, unknown>;
  current[path[path.length - 1]] = replacement;
}
