import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvRows } from "./csv";
import type { ObjectEvent } from "./source";
import {
  chunkSizesArb as anyChunkSizesArb,
  collect,
  lineCount,
  nastyBytesArb,
  nastyTextArb,
  rechunk,
} from "./test-utils";

type Dialect = "csv" | "tsv";

/** Chunk cuts anywhere, but not only 1-byte chunks: a write to the CSV parser costs ~10 µs. */
const chunkSizesArb = anyChunkSizesArb.map((sizes) => [...sizes, 97]);

const parse = (bytes: Uint8Array, dialect: Dialect, sizes: readonly number[] = [Math.max(1, bytes.length)]) =>
  collect(csvRows(rechunk(bytes, sizes), { dialect }));

const shape = (events: ObjectEvent[]) =>
  events.map((e) => (e.kind === "object" ? { line: e.line, value: e.value } : { line: e.line, error: true }));

const noSurrogates = (s: string) => s.replace(/[\uD800-\uDFFF]/g, "?");

/** A cell value: any text for CSV (it is quoted when needed); no tab, CR or LF for TSV (no quoting). */
const cellArb = (dialect: Dialect) =>
  nastyTextArb(10).map((s) =>
    dialect === "csv" ? noSurrogates(s) : noSurrogates(s).replace(/[\t\r\n]/g, " "),
  );

/** Header names: unique, trimmed, not empty (the parser trims them and names blank ones). */
const headerArb = (dialect: Dialect) =>
  fc.uniqueArray(
    cellArb(dialect)
      .map((s) => s.trim())
      .filter((s) => s !== ""),
    { minLength: 1, maxLength: 5 },
  );

/** RFC 4180: quote a field that holds a comma, quote, CR or LF (or, at random, any field). */
const csvField = (s: string, quoteAll: boolean) =>
  quoteAll || /[",\r\n]/.test(s) || s.trim() !== s ? `"${s.replace(/"/g, '""')}"` : s;

const encodeRow = (fields: string[], dialect: Dialect, quoteAll: boolean) =>
  dialect === "csv" ? fields.map((f) => csvField(f, quoteAll)).join(",") : fields.join("\t");

/** A table with rows of the header's width; a one-column row must not be blank (it would read as a blank line). */
const tableArb = (dialect: Dialect) =>
  headerArb(dialect).chain((header) =>
    fc.record({
      header: fc.constant(header),
      rows: fc.array(
        fc.record({
          fields: fc
            .array(cellArb(dialect), { minLength: header.length, maxLength: header.length })
            .filter((f) => header.length > 1 || (f[0] as string).trim() !== ""),
          blanksAfter: fc.nat(2),
          crlf: fc.boolean(),
        }),
        { maxLength: 8 },
      ),
      bom: fc.boolean(),
      quoteAll: fc.boolean(),
      finalNewline: fc.boolean(),
    }),
  );

type Table = {
  header: string[];
  rows: { fields: string[]; blanksAfter: number; crlf: boolean }[];
  bom: boolean;
  quoteAll: boolean;
  finalNewline: boolean;
};

/** The text of a table, and for each row its start line and the object it must read back as. */
function writeTable(t: Table, dialect: Dialect) {
  const head = encodeRow(t.header, dialect, t.quoteAll);
  let text = `${t.bom ? "\uFEFF" : ""}${head}\n`;
  let line = lineCount(Buffer.from(head)) + 1;
  const expected: { line: number; value: Record<string, string> }[] = [];
  t.rows.forEach((r, i) => {
    const row = encodeRow(r.fields, dialect, t.quoteAll);
    expected.push({ line, value: Object.fromEntries(t.header.map((h, k) => [h, r.fields[k] as string])) });
    const eol = r.crlf ? "\r\n" : "\n";
    const last = i === t.rows.length - 1;
    text += row + (last && !t.finalNewline ? "" : eol + eol.repeat(last ? 0 : r.blanksAfter));
    line += lineCount(Buffer.from(row)) + (last ? 0 : r.blanksAfter);
  });
  return { bytes: Buffer.from(text, "utf8"), expected };
}

describe.each(["csv", "tsv"] as const)("csvRows %s (property)", (dialect) => {
  it("round trip: any table, any chunking, reads back every row with its start line", async () => {
    await fc.assert(
      fc.asyncProperty(tableArb(dialect), chunkSizesArb, async (table, sizes) => {
        const { bytes, expected } = writeTable(table, dialect);
        expect(shape(await parse(bytes, dialect, sizes))).toEqual(expected);
      }),
      { numRuns: 120 },
    );
  });

  it("valid and broken rows mixed: every valid row loads, every broken one is reported once at its line", async () => {
    const width = 3;
    const header = ["a", "b", "c"];
    const sep = dialect === "csv" ? "," : "\t";
    const rowArb = fc.oneof<fc.Arbitrary<{ text: string; fields?: string[] }>[]>(
      fc
        .array(cellArb(dialect), { minLength: width, maxLength: width })
        .map((fields) => ({ text: encodeRow(fields, dialect, false), fields })),
      // Too few or too many columns.
      fc
        .array(cellArb(dialect), { minLength: 2, maxLength: 6 })
        .filter((f) => f.length !== width)
        .map((fields) => ({ text: encodeRow(fields, dialect, false) })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(rowArb, fc.boolean(), fc.nat(1)), { minLength: 1, maxLength: 12 }),
        chunkSizesArb,
        async (rows, sizes) => {
          let text = `${header.join(sep)}\n`;
          let line = 2;
          const expected: (
            | { line: number; value: Record<string, string> }
            | { line: number; error: true }
          )[] = [];
          for (const [row, crlf, blanks] of rows) {
            const fields = row.fields;
            expected.push(
              fields
                ? { line, value: Object.fromEntries(header.map((h, k) => [h, fields[k] as string])) }
                : { line, error: true },
            );
            const eol = crlf ? "\r\n" : "\n";
            text += row.text + eol + eol.repeat(blanks);
            line += lineCount(Buffer.from(row.text)) + blanks;
          }
          const events = await parse(Buffer.from(text), dialect, sizes);
          expect(shape(events)).toEqual(expected);
          for (const e of events) if (e.kind === "error") expect(e.reason.trim()).not.toBe("");
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a row over the limit, or an unclosed quote at the end: earlier rows load, it is reported once, reading stops", async () => {
    const max = 2000;
    await fc.assert(
      fc.asyncProperty(
        tableArb(dialect).filter((t) => t.header.length > 1),
        fc.constantFrom(
          ...(dialect === "csv" ? (["oversize", "unclosed"] as const) : (["oversize"] as const)),
        ),
        fc.nat(3),
        chunkSizesArb,
        async (table, breaker, after, sizes) => {
          const { bytes, expected } = writeTable({ ...table, finalNewline: true }, dialect);
          const bad =
            breaker === "oversize"
              ? `${"x".repeat(max + 1)}${dialect === "csv" ? "," : "\t"}y\n`
              : '"an unclosed, quoted\nfield\n';
          const text = Buffer.concat([bytes, Buffer.from(bad + "p,q\n".repeat(after))]);
          const events = await collect(csvRows(rechunk(text, sizes), { dialect, maxLineBytes: max }));
          expect(shape(events)).toEqual([...expected, { line: lineCount(bytes), error: true }]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("random bytes: never throws, same events whatever the chunking, increasing lines within the input", async () => {
    const csvish = fc
      .array(
        fc.oneof(
          nastyBytesArb(3),
          fc
            .constantFrom('"', '""', ",", "\t", "\n", "\r\n", "\r", "a", "\uFEFF", '"x"y')
            .map((s) => Buffer.from(s)),
        ),
        { maxLength: 30 },
      )
      .map((pieces) => Buffer.concat(pieces));
    await fc.assert(
      fc.asyncProperty(csvish, chunkSizesArb, async (bytes, sizes) => {
        const whole = await parse(bytes, dialect);
        expect(await parse(bytes, dialect, sizes)).toEqual(whole);
        const last = lineCount(bytes);
        let prev = 0;
        for (const e of whole) {
          expect(e.line).toBeGreaterThan(prev);
          expect(e.line).toBeLessThanOrEqual(last);
          prev = e.line;
          if (e.kind === "error") expect(e.reason.trim()).not.toBe("");
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("csvRows regressions (found by the properties)", () => {
  const lines = async (text: string, maxLineBytes?: number, chunk = 1 << 16) =>
    (await collect(csvRows(rechunk(Buffer.from(text), [chunk]), { dialect: "csv", maxLineBytes }))).map(
      (e) => (e.kind === "object" ? [e.line, e.value.a] : [e.line, e.reason]),
    );

  it("a CRLF inside a quoted field counts as one line, a lone CR as none (lines are LF-terminated)", async () => {
    expect(await lines('a,b\r\n"x\r\ny",1\r\nc,2\r\n')).toEqual([
      [2, "x\r\ny"],
      [4, "c"],
    ]);
    expect(await lines('a,b\n"x\ry",1\nx\ry,2\nc,3\n')).toEqual([
      [2, "x\ry"],
      [3, "x\ry"],
      [4, "c"],
    ]);
  });

  it("a row over the limit is reported once at its first line and stops the reading (no lost rows after it)", async () => {
    const text = `a,b\n1,2\n${"x".repeat(300)},y\n3,4\n`;
    for (const chunk of [1, 50, 1 << 16]) {
      expect(await lines(text, 100, chunk)).toEqual([
        [2, "1"],
        [3, "row is over the 100 bytes limit (an unclosed quote?); the rest of the file was not read"],
      ]);
    }
  });

  it("an unclosed quote is reported at the line where its row starts", async () => {
    expect(await lines('a,b\n1,2\n\n"open,3\n4,5\n')).toEqual([
      [2, "1"],
      [4, "a quoted field is not closed: the file ends inside it"],
    ]);
  });
});
