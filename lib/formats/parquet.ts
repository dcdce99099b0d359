import { type AsyncBuffer, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { setOwn } from "./format";
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
  for (const [k, x] of Object.entries(v)) setOwn(out, k, plain(x));
  return out;
}

/** UTF-8 without stripping a leading U+FEFF (the default decoder drops it from every string value). */
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const parsers = { stringFromBytes: (bytes: Uint8Array) => bytes && utf8.decode(bytes) };

/**
 * Rows of a Parquet file, read one row group at a time (memory is bounded by a row group), as
 * `{ column: value }` objects; the "line" is the 1-based row number. A corrupt file throws
 * "Parquet file is corrupt or unreadable: …" (the reader's own errors are RangeErrors and the like).
 */
export async function* parquetRows(file: AsyncBuffer): AsyncGenerator<ObjectEvent> {
  const read = async <T>(what: () => Promise<T>): Promise<T> => {
    try {
      return await what();
    } catch (err) {
      throw new Error(
        `Parquet file is corrupt or unreadable: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  };
  const metadata = await read(() => parquetMetadataAsync(file, { parsers }));
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    if (rowEnd > rowStart) {
      const rows = await read(() => parquetReadObjects({ file, metadata, rowStart, rowEnd, parsers }));
      for (let i = 0; i < rows.length; i++) {
        yield { kind: "object", line: rowStart + i + 1, value: plain(rows[i]) as Record<string, unknown> };
      }
    }
    rowStart = rowEnd;
  }
}
