import type { AsyncBuffer } from "hyparquet";

/** What the parser reads: a stream of byte chunks (text containers) or random-access bytes (Parquet). */
export type InputSource = AsyncIterable<Uint8Array> | AsyncBuffer;

/** One item out of a container: a parsed object (JSON object, CSV row, Parquet row) or a rejected one. */
export type ObjectEvent =
  | { kind: "object"; line: number; value: Record<string, unknown> }
  | { kind: "error"; line: number; reason: string };

export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;

export function isAsyncBuffer(source: InputSource): source is AsyncBuffer {
  return (
    typeof (source as AsyncBuffer).slice === "function" &&
    typeof (source as AsyncBuffer).byteLength === "number" &&
    !(Symbol.asyncIterator in source)
  );
}

export function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** "10.0 MB" / "8 MB" (MiB, labelled MB as people say it); smaller sizes in KB or bytes. */
export function formatSize(bytes: number, trimZero = false): string {
  const fmt = (n: number, unit: string) => {
    const s = n.toFixed(1);
    return `${trimZero && s.endsWith(".0") ? s.slice(0, -2) : s} ${unit}`;
  };
  if (bytes >= 1024 * 1024) return fmt(bytes / (1024 * 1024), "MB");
  if (bytes >= 1024) return fmt(bytes / 1024, "KB");
  return `${bytes} bytes`;
}

export function oversizeReason(what: string, bytes: number, limit: number): string {
  return `${what} is ${formatSize(bytes)}, over the ${formatSize(limit, true)} limit`;
}

/** Streams an AsyncBuffer as chunks (for a text file handed over as random-access bytes). */
export async function* asyncBufferChunks(
  file: AsyncBuffer,
  chunkBytes = 1 << 20,
): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < file.byteLength; start += chunkBytes) {
    const end = Math.min(file.byteLength, start + chunkBytes);
    yield new Uint8Array(await file.slice(start, end));
  }
}

/**
 * Reads chunks until `enough(head)` holds, at most `maxBytes` or the end of the stream, and returns
 * what was read plus a stream that replays it and then continues with the rest (`close` releases
 * the source when the stream will not be read).
 */
export async function peekUntil(
  source: AsyncIterable<Uint8Array>,
  enough: (head: Buffer) => boolean,
  maxBytes = 64 * 1024,
): Promise<{ head: Buffer; stream: AsyncIterable<Uint8Array>; close: () => Promise<void> }> {
  const it = source[Symbol.asyncIterator]();
  const buffered: Buffer[] = [];
  let head: Buffer = Buffer.alloc(0);
  let done = false;
  while (!enough(head) && head.length < maxBytes) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    buffered.push(toBuffer(r.value));
    head = buffered.length === 1 ? (buffered[0] as Buffer) : Buffer.concat(buffered);
  }
  async function* replay(): AsyncGenerator<Uint8Array> {
    let finished = done;
    try {
      yield* buffered;
      while (!finished) {
        const r = await it.next();
        if (r.done) {
          finished = true;
          break;
        }
        yield r.value;
      }
    } finally {
      if (!finished) await it.return?.();
    }
  }
  const close = async () => {
    if (!done) await it.return?.();
  };
  return { head, stream: replay(), close };
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const isJsonSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * The first byte that is neither JSON whitespace nor part of a leading UTF-8 BOM, or -1 (also
 * while `head` is only the start of a BOM: a BOM split across chunks).
 */
export function firstSignificantByte(head: Buffer): number {
  if (head.length < 3 && head.equals(UTF8_BOM.subarray(0, head.length))) return -1;
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && isJsonSpace(head[i] as number)) i++;
  return i < head.length ? (head[i] as number) : -1;
}

const MAX_REASON_CHARS = 200;

/**
 * JSON nested deeper than this is refused: a record must survive JSON.stringify (recursive, it
 * overflows the stack at a few thousand levels) and PostgreSQL jsonb. Real data nests a few levels.
 */
export const MAX_JSON_DEPTH = 1000;

/** True when `value` nests arrays/objects more than `max` levels deep (iterative: no stack overflow). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: { v: object; depth: number }[] = [];
  if (typeof value === "object" && value !== null) stack.push({ v: value, depth: 1 });
  for (let top = stack.pop(); top; top = stack.pop()) {
    if (top.depth > max) return true;
    for (const x of Object.values(top.v)) {
      if (typeof x === "object" && x !== null) stack.push({ v: x, depth: top.depth + 1 });
    }
  }
  return false;
}

export const tooDeepReason = (what: string): string =>
  `${what} is nested more than ${MAX_JSON_DEPTH} levels deep`;

/** JSON.parse one line/element; anything but a JSON object is an error event. */
export function parseJsonObject(text: string, line: number): ObjectEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const reason = `invalid JSON: ${msg}`;
    return {
      kind: "error",
      line,
      reason: reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS)}…` : reason,
    };
  }
  // Depth d takes at least 2d characters: short lines need no walk.
  if (text.length > 2 * MAX_JSON_DEPTH && nestedDeeperThan(value, MAX_JSON_DEPTH)) {
    return { kind: "error", line, reason: tooDeepReason("the JSON") };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const got = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    return { kind: "error", line, reason: `expected a JSON object, got ${got}` };
  }
  return { kind: "object", line, value: value as Record<string, unknown> };
}
