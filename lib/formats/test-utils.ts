import path from "node:path";
import fc from "fast-check";
import type { FormatId } from "./format";
import { parseInput } from "./index";
import type { CanonicalRecord, ParseEvent } from "./types";

/** Test helpers (not part of the library API). */

export const FIXTURES = path.resolve(import.meta.dirname, "../../test/fixtures");
export const fixture = (...parts: string[]): string => path.join(FIXTURES, ...parts);

/** A byte stream from strings/bytes, optionally re-cut into chunks of `chunkSize` bytes. */
export async function* streamOf(
  parts: (string | Uint8Array)[],
  chunkSize?: number,
): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.concat(
    parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))),
  );
  const size = chunkSize ?? Math.max(1, bytes.length);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export interface Parsed {
  format: FormatId;
  container: string;
  events: ParseEvent[];
  records: (CanonicalRecord & { line: number; hash: string })[];
  errors: { line: number; reason: string }[];
}

export async function parseAll(
  source: AsyncIterable<Uint8Array> | Parameters<typeof parseInput>[0]["source"],
  fileName: string,
  options: { format?: FormatId | "auto"; maxLineBytes?: number } = {},
): Promise<Parsed> {
  const parsed = await parseInput({ source, fileName, ...options });
  const events = await collect(parsed.events);
  return {
    format: parsed.format,
    container: parsed.container,
    events,
    records: events.flatMap((e) =>
      e.kind === "record" ? [{ ...e.record, line: e.line, hash: e.hash }] : [],
    ),
    errors: events.flatMap((e) => (e.kind === "error" ? [{ line: e.line, reason: e.reason }] : [])),
  };
}

export const parseText = (fileName: string, text: string, options: Parameters<typeof parseAll>[2] = {}) =>
  parseAll(streamOf([text]), fileName, options);

/** A JSON Lines text from objects. */
export const jsonl = (...objs: unknown[]): string => `${objs.map((o) => JSON.stringify(o)).join("\n")}\n`;

// ---------------------------------------------------------------------------------------------
// Property-test helpers (fast-check).

/**
 * Re-cuts bytes into chunks whose sizes cycle through `sizes` (0 yields an empty chunk), alternating
 * Buffers and plain Uint8Arrays, to test that parsers give the same result whatever the chunking.
 */
export async function* rechunk(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  const cycle = sizes.some((s) => s > 0) ? sizes : [1];
  let pos = 0;
  for (let k = 0; pos < bytes.length; k++) {
    const size = cycle[k % cycle.length] as number;
    const piece = bytes.subarray(pos, pos + size);
    yield k % 2 === 0 ? Buffer.from(piece) : new Uint8Array(piece);
    pos += size;
  }
}

/** Chunk sizes for `rechunk`: mostly tiny (boundaries everywhere: inside BOMs, CRLFs, UTF-8 sequences). */
export const chunkSizesArb = fc.array(
  fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 300 })),
  {
    minLength: 1,
    maxLength: 6,
  },
);

/** Characters that break parsers: lone surrogates, NUL, BOM, CR/LF, separators, quotes, escapes. */
const NASTY_CHARS = [
  "\0",
  "\uFEFF",
  "\r",
  "\n",
  "\r\n",
  "\t",
  "\uD800",
  "\uDFFF",
  "\u2028",
  "\u00A0",
  '"',
  "\\",
  ",",
  "{",
  "}",
  "[",
  "]",
  ":",
  "é",
  "鹦",
  "😀",
] as const;

/** Random Unicode text biased towards NASTY_CHARS (a lone surrogate is encoded as U+FFFD in UTF-8). */
export const nastyTextArb = (maxLength = 40): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
      { weight: 2, arbitrary: fc.constantFrom(...NASTY_CHARS) },
    ),
    maxLength,
  });

/** Byte sequences that are not valid UTF-8 (stray continuation, truncated sequence, surrogate, overlong). */
export const INVALID_UTF8: readonly (readonly number[])[] = [
  [0xff],
  [0x80],
  [0xc3],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xc0, 0xaf],
  [0xf4, 0x90, 0x80, 0x80],
];

/** Random bytes, mixed with text, newlines, BOMs and invalid UTF-8. */
export const nastyBytesArb = (maxPieces = 30): fc.Arbitrary<Buffer> =>
  fc
    .array(
      fc.oneof(
        fc.uint8Array({ maxLength: 12 }),
        nastyTextArb(12).map((s) => Buffer.from(s, "utf8")),
        fc.constantFrom(...INVALID_UTF8, [0xef, 0xbb, 0xbf], [0x0a], [0x0d, 0x0a], [0x0d]).map(Buffer.from),
      ),
      { maxLength: maxPieces },
    )
    .map((pieces) => Buffer.concat(pieces.map((p) => Buffer.from(p))));

/** 1 + the number of LF bytes: the number of the last line of a byte string. */
export const lineCount = (bytes: Uint8Array): number => {
  let n = 1;
  for (const b of bytes) if (b === 0x0a) n++;
  return n;
};

/** A JSON object as JSON.parse returns it after a stringify (no -0, no undefined). */
export const jsonObjectArb = (maxDepth = 3): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .dictionary(nastyTextArb(8), fc.jsonValue({ maxDepth }), { maxKeys: 5 })
    .map((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>);
