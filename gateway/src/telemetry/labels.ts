/**
 * Prometheus keeps one series per label combination, so anything a client chooses (operation
 * names, client names and versions) is capped: the first names seen get their own series, the
 * rest share one. Unnamed operations, and operations that never got as far as a valid document,
 * are `unknown`.
 */
export const UNKNOWN = 'unknown';
export const OTHER = 'other';

const SANE = /^[A-Za-z0-9_.:@/+-]{1,64}$/;

export class BoundedLabel {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}

  of(value: string | null | undefined): string {
    if (!value) return UNKNOWN;
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max || !SANE.test(value)) return OTHER;
    this.seen.add(value);
    return value;
  }
}
