import { type CsvError, type Info, parse } from "csv-parse";
import type { LineOptions } from "./lines";
import { DEFAULT_MAX_LINE_BYTES, formatSize, type ObjectEvent } from "./source";

export interface CsvOptions extends LineOptions {
  /** "csv": comma, RFC 4180 quoting. "tsv": tab, quoting off (real TSV files contain bare quotes). */
  dialect: "csv" | "tsv";
}

type Pending =
  | { kind: "record"; fields: string[]; endLine: number; emptyLines: number }
  | { kind: "skip"; error: CsvError };

/**
 * Rows of a CSV/TSV file with a header row, as `{ column: value }` objects (values stay strings).
 * A row with the wrong number of columns, or one the CSV parser rejects, is an error event with
 * its line number; the following rows still load.
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
      pending.push({ kind: "record", fields, endLine: ctx.lines, emptyLines: ctx.empty_lines });
      return null;
    },
    on_skip: (error: CsvError | undefined) => {
      if (error) pending.push({ kind: "skip", error });
      return undefined;
    },
  });
  parser.on("error", (err) => {
    fatal = err;
  });
  parser.resume();

  let header: string[] | undefined;
  let lastEndLine = 0;
  let lastEmptyLines = 0;

  function* drain(): Generator<ObjectEvent> {
    for (const p of pending) {
      if (p.kind === "skip") {
        const line = typeof p.error.lines === "number" ? p.error.lines : lastEndLine + 1;
        const reason =
          p.error.code === "CSV_MAX_RECORD_SIZE"
            ? `row is over the ${formatSize(max, true)} limit`
            : `invalid ${options.dialect.toUpperCase()} row: ${p.error.message}`;
        yield { kind: "error", line, reason };
        lastEndLine = line;
        continue;
      }
      const startLine = lastEndLine + 1 + (p.emptyLines - lastEmptyLines);
      lastEndLine = p.endLine;
      lastEmptyLines = p.emptyLines;
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
      for (let i = 0; i < header.length; i++) value[header[i] as string] = fields[i] as string;
      yield { kind: "object", line: startLine, value };
    }
    pending.length = 0;
  }

  for await (const chunk of chunks) {
    await new Promise<void>((resolve, reject) =>
      parser.write(chunk, (err) => (err ? reject(err) : resolve())),
    );
    if (fatal) throw fatal;
    yield* drain();
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
