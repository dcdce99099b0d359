import { type CsvError, type Info, parse } from "csv-parse";
import { setOwn } from "./format";
import type { LineOptions } from "./lines";
import { DEFAULT_MAX_LINE_BYTES, formatSize, type ObjectEvent } from "./source";

export interface CsvOptions extends LineOptions {
  /** "csv": comma, RFC 4180 quoting. "tsv": tab, quoting off (real TSV files contain bare quotes). */
  dialect: "csv" | "tsv";
}

type Pending =
  | { kind: "record"; fields: string[]; endByte: number; emptyLines: number }
  | { kind: "skip"; error: CsvError; emptyLines: number };

const NL = 0x0a;

/**
 * Rows of a CSV/TSV file with a header row, as `{ column: value }` objects (values stay strings).
 * A row with the wrong number of columns, or one the CSV parser rejects, is an error event with
 * its line number; the following rows still load. A row over the size limit (in practice, an
 * unclosed quote that runs on) stops the reading: the CSV parser cannot resynchronise after it.
 *
 * Line numbers count LF bytes only, as for JSON Lines: the CSV parser's own line count also counts
 * a lone CR, and a CRLF inside a quoted field twice.
 */
export async function* csvRows(
  chunks: AsyncIterable<Uint8Array>,
  options: CsvOptions,
): AsyncGenerator<ObjectEvent> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const pending: Pending[] = [];
  let fatal: Error | undefined;
  const parser = parse({
    bom: true,
    delimiter: options.dialect === "tsv" ? "\t" : ",",
    quote: options.dialect === "tsv" ? false : '"',
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    record_delimiter: ["\r\n", "\n"],
    max_record_size: max,
    // Records and skipped records arrive through these two callbacks in file order; returning
    // null keeps them out of the stream's readable side, which is never read.
    on_record: (fields: string[], ctx: Info) => {
      pending.push({ kind: "record", fields, endByte: ctx.bytes, emptyLines: ctx.empty_lines });
      return null;
    },
    on_skip: (error: CsvError | undefined) => {
      if (error) pending.push({ kind: "skip", error, emptyLines: parser.info.empty_lines });
      return undefined;
    },
  });
  parser.on("error", (err) => {
    fatal = err;
  });
  parser.resume();

  // Byte offsets of the LFs written to the parser and not yet passed by a row end.
  const newlines: number[] = [];
  let newlinesHead = 0;
  let written = 0;
  let linesBefore = 0;
  /** 1 + the number of LFs before byte `offset` (offsets only grow). */
  const lineAt = (offset: number): number => {
    while (newlinesHead < newlines.length && (newlines[newlinesHead] as number) < offset) {
      newlinesHead++;
      linesBefore++;
    }
    if (newlinesHead > 4096) {
      newlines.splice(0, newlinesHead);
      newlinesHead = 0;
    }
    return linesBefore + 1;
  };

  let header: string[] | undefined;
  let lastEndByte = 0;
  let lastEmptyLines = 0;
  let stopped = false;

  function* drain(): Generator<ObjectEvent> {
    for (const p of pending) {
      // A row starts after the previous one and the empty lines skipped since (one LF each).
      const startLine = lineAt(lastEndByte) + (p.emptyLines - lastEmptyLines);
      lastEmptyLines = p.emptyLines;
      if (p.kind === "skip") {
        if (p.error.code === "CSV_MAX_RECORD_SIZE") {
          yield {
            kind: "error",
            line: startLine,
            reason: `row is over the ${formatSize(max, true)} limit (an unclosed quote?); the rest of the file was not read`,
          };
          stopped = true;
          break;
        }
        const reason =
          p.error.code === "CSV_QUOTE_NOT_CLOSED"
            ? "a quoted field is not closed: the file ends inside it"
            : `invalid ${options.dialect.toUpperCase()} row: ${p.error.message}`;
        yield { kind: "error", line: startLine, reason };
        continue;
      }
      lastEndByte = p.endByte;
      const fields = p.fields;
      if (fields.length === 1 && (fields[0] as string).trim() === "") continue;
      if (header === undefined) {
        header = uniqueNames(fields);
        continue;
      }
      if (fields.length !== header.length) {
        yield {
          kind: "error",
          line: startLine,
          reason: `row has ${fields.length} column${fields.length === 1 ? "" : "s"}, the header has ${header.length}`,
        };
        continue;
      }
      const value: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) setOwn(value, header[i] as string, fields[i] as string);
      yield { kind: "object", line: startLine, value };
    }
    pending.length = 0;
  }

  for await (const chunk of chunks) {
    for (let i = chunk.indexOf(NL); i !== -1; i = chunk.indexOf(NL, i + 1)) newlines.push(written + i);
    written += chunk.length;
    await new Promise<void>((resolve, reject) =>
      parser.write(chunk, (err) => (err ? reject(err) : resolve())),
    );
    if (fatal) throw fatal;
    yield* drain();
    if (stopped) {
      parser.destroy();
      return;
    }
  }
  await new Promise<void>((resolve) => parser.end(resolve));
  if (fatal) throw fatal;
  yield* drain();
}

function uniqueNames(fields: string[]): string[] {
  const seen = new Map<string, number>();
  return fields.map((raw, i) => {
    const name = raw.trim() === "" ? `column_${i + 1}` : raw.trim();
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}_${n}`;
  });
}
