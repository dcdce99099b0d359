import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonlObjects, type LineEvent, splitLines } from "./lines";
import { oversizeReason } from "./source";
import {
  chunkSizesArb,
  collect,
  INVALID_UTF8,
  jsonObjectArb,
  lineCount,
  nastyBytesArb,
  nastyTextArb,
  rechunk,
} from "./test-utils";

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Reference model of splitLines, written from its contract on the whole input at once: split at LF,
 * a line over the limit is an error, else drop a trailing CR (and a BOM on line 1), invalid UTF-8 is
 * an error, blank lines are skipped but counted.
 */
function modelLines(bytes: Buffer, max: number): LineEvent[] {
  const out: LineEvent[] = [];
  const segments: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      segments.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < bytes.length) segments.push(bytes.subarray(start));
  segments.forEach((raw, i) => {
    const line = i + 1;
    if (raw.length > max) {
      out.push({ line, error: oversizeReason("line", raw.length, max) });
      return;
    }
    let seg = raw;
    if (seg.at(-1) === 0x0d) seg = seg.subarray(0, -1);
    if (line === 1 && seg[0] === 0xef && seg[1] === 0xbb && seg[2] === 0xbf) seg = seg.subarray(3);
    let text: string;
    try {
      text = strict.decode(seg);
    } catch {
      out.push({ line, error: "invalid UTF-8" });
      return;
    }
    if (text.trim() !== "") out.push({ line, text });
  });
  return out;
}

const maxLineArb = fc.oneof(fc.constant(8 * 1024 * 1024), fc.integer({ min: 1, max: 64 }));

describe("splitLines (property)", () => {
  it("random bytes, any chunking, any line limit: never throws, matches the whole-input model", async () => {
    await fc.assert(
      fc.asyncProperty(nastyBytesArb(), chunkSizesArb, maxLineArb, async (bytes, sizes, max) => {
        const got = await collect(splitLines(rechunk(bytes, sizes), { maxLineBytes: max }));
        expect(got).toEqual(modelLines(bytes, max));
        const last = lineCount(bytes);
        for (const ev of got) {
          expect(ev.line).toBeGreaterThanOrEqual(1);
          expect(ev.line).toBeLessThanOrEqual(last);
          if (ev.error !== undefined) expect(ev.error.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("round trip: non-blank lines joined by LF or CRLF come back with their numbers, whatever the chunking", async () => {
    const lineArb = nastyTextArb(30)
      // A line cannot hold a LF; a trailing CR would be read as part of a CRLF.
      .map((s) =>
        s
          .replace(/\n/g, " ")
          .replace(/\r+$/, "")
          .replace(/[\uD800-\uDFFF]/g, "?"),
      )
      .filter((s) => s.trim() !== "");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(lineArb, fc.boolean(), fc.nat(2)), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        fc.boolean(),
        chunkSizesArb,
        async (rows, bom, finalNewline, sizes) => {
          // Each row: text, CRLF or LF, and a number of blank lines after it.
          let text = bom ? "\uFEFF" : "";
          const expected: LineEvent[] = [];
          let line = 1;
          rows.forEach(([t, crlf, blanks], i) => {
            const first = i === 0 && !bom ? t.replace(/^\uFEFF/, "") : t;
            expected.push({ line, text: first });
            const eol = crlf ? "\r\n" : "\n";
            const last = i === rows.length - 1;
            text += first + (last && !finalNewline ? "" : eol + eol.repeat(last ? 0 : blanks));
            line += 1 + (last ? 0 : blanks);
          });
          const got = await collect(splitLines(rechunk(Buffer.from(text, "utf8"), sizes)));
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

type Kind = "object" | "error" | "blank";

/** One JSONL line of a given kind: a valid object, a broken line, or a blank one. */
const jsonlLineArb: fc.Arbitrary<{ kind: Kind; bytes: Buffer; value?: unknown }> = fc.oneof(
  jsonObjectArb().map((value) => ({
    kind: "object" as const,
    bytes: Buffer.from(JSON.stringify(value)),
    value,
  })),
  // Truncated object: no proper prefix of a JSON object is valid JSON.
  fc.tuple(jsonObjectArb(), fc.double({ min: 0, max: 1, noNaN: true })).map(([o, f]) => {
    const s = JSON.stringify(o);
    return {
      kind: "error" as const,
      bytes: Buffer.from(s.slice(0, Math.max(1, Math.floor(f * (s.length - 1))))),
    };
  }),
  // Valid JSON that is not an object.
  fc
    .jsonValue({ maxDepth: 2 })
    .filter((v) => typeof v !== "object" || v === null || Array.isArray(v))
    .map((v) => ({ kind: "error" as const, bytes: Buffer.from(JSON.stringify(v)) })),
  // An object with invalid UTF-8 inside a string.
  fc.tuple(fc.constantFrom(...INVALID_UTF8), nastyTextArb(5)).map(([bad, k]) => ({
    kind: "error" as const,
    bytes: Buffer.concat([Buffer.from(`{${JSON.stringify(k)}: "`), Buffer.from(bad), Buffer.from('"}')]),
  })),
  // A raw NUL or other control character inside a string, or junk around an object.
  fc.tuple(jsonObjectArb(), fc.constantFrom("\0", "\u0001", "\u001f")).map(([o, c]) => ({
    kind: "error" as const,
    bytes: Buffer.from(`{"x": "a${c}b", "o": ${JSON.stringify(o)}}`),
  })),
  fc
    .tuple(jsonObjectArb(), fc.constantFrom("x", "}", "{", ",", "]", "//"))
    .map(([o, junk]) => ({ kind: "error" as const, bytes: Buffer.from(`${JSON.stringify(o)}${junk}`) })),
  // Huge numbers are still numbers (1e400 parses as Infinity): a valid object.
  fc.constantFrom("1e308", "-1e308", "1e400", "123456789012345678901234567890", "5e-324", "-0").map((n) => ({
    kind: "object" as const,
    bytes: Buffer.from(`{"n": ${n}}`),
    value: JSON.parse(`{"n": ${n}}`),
  })),
  fc
    .constantFrom("", " ", "\t", "\r", "\uFEFF", "  \u00A0 ")
    .map((s) => ({ kind: "blank" as const, bytes: Buffer.from(s) })),
);

describe("jsonlObjects (property)", () => {
  it("valid and broken lines mixed: every object loads, every broken line is reported once, with its number", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(jsonlLineArb, fc.boolean()), { minLength: 1, maxLength: 25 }),
        chunkSizesArb,
        async (lines, sizes) => {
          const bytes = Buffer.concat(
            lines.map(([l, crlf], i) =>
              i === lines.length - 1 ? l.bytes : Buffer.concat([l.bytes, Buffer.from(crlf ? "\r\n" : "\n")]),
            ),
          );
          const events = await collect(jsonlObjects(rechunk(bytes, sizes)));
          const expected = lines.flatMap(([l], i) =>
            l.kind === "blank"
              ? []
              : [{ kind: l.kind, line: i + 1, ...(l.kind === "object" ? { value: l.value } : {}) }],
          );
          expect(
            events.map((e) =>
              e.kind === "object"
                ? { kind: e.kind, line: e.line, value: e.value }
                : { kind: e.kind, line: e.line },
            ),
          ).toEqual(expected);
          for (const e of events) if (e.kind === "error") expect(e.reason.trim()).not.toBe("");
          const blanks = lines.filter(([l]) => l.kind === "blank").length;
          expect(events.length + blanks).toBe(lines.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("random bytes: never throws; one event per non-blank line, numbered within the input", async () => {
    await fc.assert(
      fc.asyncProperty(nastyBytesArb(), chunkSizesArb, async (bytes, sizes) => {
        const events = await collect(jsonlObjects(rechunk(bytes, sizes)));
        const lines = modelLines(bytes, Number.POSITIVE_INFINITY);
        expect(events.map((e) => e.line)).toEqual(lines.map((l) => l.line));
        for (const e of events) if (e.kind === "error") expect(e.reason.trim()).not.toBe("");
      }),
      { numRuns: 300 },
    );
  });
});
