/**
 * Writes rows in slices of `size`: one `createMany` for a whole table would exceed Postgres's
 * 65,535 bind parameters at full scale.
 */
export async function inChunks<T>(rows: readonly T[], size: number, write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}
