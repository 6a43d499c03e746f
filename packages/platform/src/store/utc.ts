/**
 * Prisma stores DateTime in `timestamp` columns as UTC. Raw queries may hand such a column over
 * as a Date or as text without a zone, which JavaScript would read as local time; this reads
 * both as UTC.
 */
export function utc(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}
