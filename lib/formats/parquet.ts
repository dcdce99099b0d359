import { type AsyncBuffer, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import type { ObjectEvent } from "./source";

export const PARQUET_MAGIC = "PAR1";

/** True when the first four bytes are the Parquet magic "PAR1". */
export function hasParquetMagic(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31;
}

/** Parquet values → plain JSON-like values: int64 as number (string beyond 2^53), dates as ISO strings. */
function plain(v: unknown): unknown {
  if (typeof v === "bigint") {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v.toString();
  }
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Date) return v.toISOString();
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, plain);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = plain(x);
  return out;
}

/**
 * Rows of a Parquet file, read one row group at a time (memory is bounded by a row group), as
 * `{ column: value }` objects; the "line" is the 1-based row number.
 */
export async function* parquetRows(file: AsyncBuffer): AsyncGenerator<ObjectEvent> {
  const metadata = await parquetMetadataAsync(file);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    if (rowEnd > rowStart) {
      const rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd });
      for (let i = 0; i < rows.length; i++) {
        yield { kind: "object", line: rowStart + i + 1, value: plain(rows[i]) as Record<string, unknown> };
      }
    }
    rowStart = rowEnd;
  }
}
