import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { parseInput, UnknownFormatError } from "./index";
import { chunkSizesArb, collect, nastyBytesArb, nastyTextArb, rechunk } from "./test-utils";
import type { ParseEvent } from "./types";

/** parseInput + all events; a rejection is returned (not thrown) so that properties can inspect it. */
async function run(
  source: Parameters<typeof parseInput>[0]["source"],
  fileName: string,
): Promise<{ events: ParseEvent[]; container: string } | { error: unknown }> {
  try {
    const parsed = await parseInput({ source, fileName });
    return { events: await collect(parsed.events), container: parsed.container };
  } catch (error) {
    return { error };
  }
}

const summary = (r: Awaited<ReturnType<typeof run>>) => ("error" in r ? String(r.error) : r);

/** A container-level failure must be a clear, expected error, never a TypeError/RangeError from deep inside. */
function expectClearFailure(error: unknown) {
  expect(error).toBeInstanceOf(Error);
  const e = error as Error;
  const expected =
    e instanceof UnknownFormatError ||
    /^(gzip data is corrupt or truncated|Parquet file is corrupt)/.test(e.message);
  expect(expected, `${e.name}: ${e.message}`).toBe(true);
}

function expectWellFormedEvents(events: ParseEvent[]) {
  let prev = 0;
  for (const e of events) {
    expect(Number.isInteger(e.line) && e.line >= 1).toBe(true);
    expect(e.line).toBeGreaterThanOrEqual(prev);
    prev = e.line;
    if (e.kind === "error") expect(e.reason.trim()).not.toBe("");
  }
}

const NAMES = [
  "d.jsonl",
  "d.json",
  "d.ndjson",
  "d.csv",
  "d.tsv",
  "d.parquet",
  "d.jsonl.gz",
  "d.csv.gz",
  "d.txt",
  "d",
];

const flagLine = (i: number, q: string) => JSON.stringify({ query: `${q} ${i}`, pos: [`positive ${i}`] });

describe("containers (property)", () => {
  it("random bytes under any name, as a stream or as random-access bytes: events, or a clear error", async () => {
    const starts = fc.constantFrom(
      "",
      "PAR1",
      "\x1f\x8b",
      "[",
      "{",
      "\uFEFF",
      "\uFEFF[",
      "sentence1,sentence2\n",
      '{"query":"q","pos":["p"]}\n',
    );
    await fc.assert(
      fc.asyncProperty(
        starts,
        nastyBytesArb(),
        fc.constantFrom(...NAMES),
        fc.boolean(),
        chunkSizesArb,
        async (start, rest, name, randomAccess, sizes) => {
          const bytes = Buffer.concat([
            Buffer.from(start, start.startsWith("\x1f") ? "latin1" : "utf8"),
            rest,
          ]);
          const source = randomAccess ? new Uint8Array(bytes).buffer : rechunk(bytes, sizes);
          const r = await run(source, name);
          if ("error" in r) expectClearFailure(r.error);
          else expectWellFormedEvents(r.events);
          if (!randomAccess) {
            // The chunking changes nothing: same container, events, or error.
            const whole = await run(rechunk(bytes, [Math.max(1, bytes.length)]), name);
            expect(summary(r)).toEqual(summary(whole));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("gzip: any text file reads the same compressed (one or more members) as plain, whatever the chunking", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(nastyTextArb(20), { minLength: 1, maxLength: 8 }),
        fc.constantFrom("d.jsonl", "d.json", "d.csv", "d.tsv"),
        fc.boolean(),
        fc.integer({ min: 1, max: 3 }),
        chunkSizesArb,
        async (texts, name, arrayLayout, members, sizes) => {
          let plain: string;
          if (name.endsWith(".csv") || name.endsWith(".tsv")) {
            const sep = name.endsWith(".csv") ? "," : "\t";
            const cell = (s: string) =>
              sep === "," ? `"${s.replace(/"/g, '""')}"` : s.replace(/[\t\r\n]/g, " ");
            plain = `anchor${sep}positive\n${texts.map((t, i) => `${cell(t)}${sep}p${i}`).join("\n")}\n`;
          } else {
            const lines = texts.map((t, i) => flagLine(i, t));
            plain =
              arrayLayout && name.endsWith(".json") ? `[\n${lines.join(",\n")}\n]` : `${lines.join("\n")}\n`;
          }
          const bytes = Buffer.from(plain, "utf8");
          const cut = Math.floor(bytes.length / members);
          const gz = Buffer.concat(
            Array.from({ length: members }, (_, m) =>
              gzipSync(bytes.subarray(m * cut, m === members - 1 ? bytes.length : (m + 1) * cut)),
            ),
          );
          const want = await run(rechunk(bytes, [bytes.length]), name);
          for (const gzName of [`${name}.gz`, name]) {
            const got = await run(rechunk(gz, sizes), gzName);
            if ("error" in want) {
              expect("error" in got && (got.error as Error).message).toBe(
                (want.error as Error).message.replace(name, gzName),
              );
            } else {
              expect("error" in got ? got.error : got.events).toEqual(want.events);
              expect("container" in got && got.container).toBe(`gzip+${want.container}`);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("gzip: truncated or corrupted data is a clear error, or (when the damage is harmless) well-formed events", async () => {
    const lines = Array.from({ length: 60 }, (_, i) => flagLine(i, "query")).join("\n");
    const gz = gzipSync(Buffer.from(lines));
    await fc.assert(
      fc.asyncProperty(
        fc.nat(gz.length - 1),
        fc.array(fc.tuple(fc.nat(gz.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
        chunkSizesArb,
        async (cut, flips, sizes) => {
          const bytes = Buffer.from(gz.subarray(0, Math.max(2, cut)));
          for (const [at, v] of flips) if (at >= 2 && at < bytes.length) bytes[at] = v;
          const r = await run(rechunk(bytes, sizes), "d.jsonl.gz");
          if ("error" in r) expectClearFailure(r.error);
          else expectWellFormedEvents(r.events);
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Parquet, written in-test with hyparquet-writer.

const cellArb = fc.oneof(
  {
    weight: 4,
    arbitrary: nastyTextArb(20)
      .map((s) => s.replace(/[\uD800-\uDFFF]/g, "?"))
      .filter((s) => s.trim() !== ""),
  },
  { weight: 1, arbitrary: fc.constantFrom<string | null>("", "  ", null) },
);
const rowArb = fc.record({
  anchor: cellArb,
  positive: cellArb,
  negative: cellArb,
  score: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
});
type Row = { anchor: string | null; positive: string | null; negative: string | null; score: number | null };

function parquetOf(rows: Row[], rowGroupSize: number): ArrayBuffer {
  return parquetWriteBuffer({
    columnData: [
      { name: "anchor", data: rows.map((r) => r.anchor), type: "STRING" },
      { name: "positive", data: rows.map((r) => r.positive), type: "STRING" },
      { name: "negative", data: rows.map((r) => r.negative), type: "STRING" },
      { name: "score", data: rows.map((r) => r.score), type: "DOUBLE" },
    ],
    rowGroupSize,
  });
}

const blank = (s: string | null) => s === null || s.trim() === "";

describe("parquet (property)", () => {
  it("rows round-trip with their 1-based row numbers across row groups; a bad row is reported, the rest loads", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 10 }),
        async (rows, rowGroupSize) => {
          // Auto-detection needs one valid row; force the format so that all-bad files are checked too.
          const parsed = await parseInput({
            source: parquetOf(rows, rowGroupSize),
            fileName: "d.parquet",
            format: "sentence-transformers",
          });
          expect(parsed.container).toBe("parquet");
          const events = await collect(parsed.events);
          expect(events.map((e) => [e.kind, e.line])).toEqual(
            // A null negative is an absent column value; only a blank text one is an error.
            rows.map((r, i) => [
              blank(r.anchor) || blank(r.positive) || (r.negative !== null && r.negative.trim() === "")
                ? "error"
                : "record",
              i + 1,
            ]),
          );
          events.forEach((e, i) => {
            const r = rows[i] as Row;
            if (e.kind === "record") {
              expect(e.record.query).toBe(r.anchor);
              expect(e.record.positive).toEqual(
                r.score === null ? { text: r.positive } : { text: r.positive, score: r.score },
              );
              expect(e.record.negatives).toEqual(r.negative === null ? [] : [{ text: r.negative }]);
            } else expect(e.reason).toMatch(/^(empty text in|missing field|"\w+" must be)/);
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  // Damage is limited to truncation and the footer (metadata length, magic): hyparquet 1.33 does not
  // survive damaged page data. A corrupt RLE run length makes it loop for minutes (readRle is not
  // bounded by the output size; e.g. byte 1012 of this file set to 240), and when one column chunk
  // fails, the other columns' read promises reject unhandled.
  it("a truncated parquet file, or one with a damaged footer, is one clear error", async () => {
    const rows: Row[] = Array.from({ length: 30 }, (_, i) => ({
      anchor: `anchor ${i}`,
      positive: `positive ${i}`,
      negative: i % 3 ? `negative ${i}` : null,
      score: i / 30,
    }));
    const file = new Uint8Array(parquetOf(rows, 7));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: 4, max: file.length - 1 }).map((cut) => file.slice(0, cut)),
          fc
            .array(
              fc.tuple(
                fc.integer({ min: file.length - 8, max: file.length - 1 }),
                fc.integer({ min: 0, max: 255 }),
              ),
              {
                minLength: 1,
                maxLength: 3,
              },
            )
            .map((flips) => {
              const bytes = file.slice();
              for (const [at, v] of flips) bytes[at] = v;
              return bytes;
            }),
        ),
        async (bytes) => {
          const r = await run(bytes.buffer, "d.parquet");
          if ("error" in r) expectClearFailure(r.error);
          else expect(r.events).toHaveLength(rows.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("container regressions (found by the properties)", () => {
  it("a JSON array whose BOM is split across chunks is still read as a JSON array", async () => {
    const text = `\uFEFF[\n${flagLine(1, "q")},\n${flagLine(2, "q")}\n]`;
    const r = await run(rechunk(Buffer.from(text), [1]), "d.json");
    expect("events" in r && [r.container, r.events.map((e) => [e.kind, e.line])]).toEqual([
      "json-array",
      [
        ["record", 2],
        ["record", 3],
      ],
    ]);
  });

  it("a .jsonl file whose first line is an array is read line by line, not as one JSON array", async () => {
    const r = await run(rechunk(Buffer.from(`[1, 2]\n${flagLine(2, "q")}\n`), [64]), "d.jsonl");
    expect("events" in r && [r.container, r.events.map((e) => [e.kind, e.line])]).toEqual([
      "jsonl",
      [
        ["error", 1],
        ["record", 2],
      ],
    ]);
  });

  it("a corrupt parquet file is one clear error, not a RangeError from the reader", async () => {
    const r = await run(new Uint8Array(Buffer.from("PAR1")).buffer, "d.parquet");
    expect("error" in r && String(r.error)).toMatch(/^Error: Parquet file is corrupt or unreadable: /);
  });

  it("a parquet string value starting with U+FEFF keeps it", async () => {
    const rows = [{ anchor: "\uFEFFanchor", positive: "\uFEFFpositive", negative: null, score: null }];
    const parsed = await parseInput({ source: parquetOf(rows, 10), fileName: "d.parquet" });
    const [event] = await collect(parsed.events);
    expect(event?.kind === "record" && [event.record.query, event.record.positive.text]).toEqual([
      "\uFEFFanchor",
      "\uFEFFpositive",
    ]);
  });

  it('a CSV column named "__proto__" is kept in meta', async () => {
    const r = await run(rechunk(Buffer.from("__proto__,anchor,positive\nx,a,b\n"), [64]), "d.csv");
    const meta = "events" in r && r.events[0]?.kind === "record" ? r.events[0].record.meta : undefined;
    expect(meta && Object.entries(meta)).toEqual([["__proto__", "x"]]);
  });
});
