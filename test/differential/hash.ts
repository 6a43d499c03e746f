import { createHash } from 'node:crypto';
import { Random } from '@streaming/demo-data';

/**
 * A number in [0, 1) decided by its parts alone: every fault and every generated document is a
 * function of the seed and of what it is about, never of the order things happen in, so two
 * gateways asking the same thing in a different order (or batched differently) meet the same fate.
 */
export function unitHash(...parts: Array<string | number>): number {
  const digest = createHash('sha1').update(parts.join('\u0000')).digest();
  return digest.readUInt32BE(0) / 4_294_967_296;
}

/** A seeded generator whose seed is derived from `parts` (see unitHash). */
export function randomFrom(...parts: Array<string | number>): Random {
  return new Random(Math.floor(unitHash(...parts) * 4_294_967_296));
}

/** JSON with object keys sorted: equal values, equal text, whatever order their keys came in. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}
