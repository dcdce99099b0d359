/**
 * The export writers: prepared records in, bytes out, one chunk at a time, so an export of any
 * size streams with flat memory (Parquet: one row group per chunk, flushed as it is written).
 *
 * Every writer says which records it can carry (`accepts`): sentence-transformers has a fixed
 * column set, so a record with fewer kept negatives than columns is left out; the E5 families
 * whose generated object has a hard negative (short-long, long-short, STS/bitext) need one.
 * Left-out records are counted in the manifest, never silently lost.
 */
import { ByteWriter, ParquetWriter, type SchemaElement } from "hyparquet-writer";
import type { Passage } from "@/lib/formats/types";
import type { ExportFormat, ExportOptions } from "./options";
import type { PreparedRecord } from "./record";

export interface ExportWriter {
  /** Why a record cannot be written in this format, or null when it can. */
  rejects(p: PreparedRecord): SkipReason | null;
  /** Bytes before the first record (CSV header, Parquet magic). */
  start(): Uint8Array;
  /** One chunk of records (all accepted). */
  write(records: readonly PreparedRecord[]): Uint8Array;
  /**
   * One record as text, for a spool: its line (JSONL, CSV) or its row as JSON (Parquet).
   * `writeEncoded` of the encoded records of a chunk gives the very bytes `write` gives.
   */
  encode(p: PreparedRecord): string;
  /** One chunk of encoded records: their UTF-8 bytes back to back, and each one's length in bytes. */
  writeEncoded(bytes: Uint8Array, lengths: readonly number[]): Uint8Array;
  /** Bytes after the last record (Parquet footer). */
  finish(): Uint8Array;
}

export const SKIP_REASONS = ["too_few_negatives"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

/** sentence-transformers column names for n negatives: none, `negative`, or negative_1..n. */
export function stColumns(negatives: number): string[] {
  const cols = ["anchor", "positive"];
  if (negatives === 1) cols.push("negative");
  else for (let i = 1; i <= negatives; i++) cols.push(`negative_${i}`);
  return cols;
}

function stRow(p: PreparedRecord, n: number): string[] {
  const row = [p.instructedQuery, p.positives[0]!.text];
  for (let i = 0; i < n; i++) row.push(p.negatives[i]!.text);
  return row;
}

/** One CSV field, RFC 4180: quoted when it holds a quote, comma, CR or LF; quotes doubled. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
export const csvLine = (fields: readonly string[]): string => `${fields.map(csvField).join(",")}\r\n`;

/** A writer of one line per record: the bytes of a chunk are its records' lines back to back. */
function linesWriter(
  line: (p: PreparedRecord) => string,
  rejects: (p: PreparedRecord) => SkipReason | null,
  header = "",
): ExportWriter {
  return {
    rejects,
    start: () => (header ? encoder.encode(header) : EMPTY),
    write(records) {
      let s = "";
      for (const p of records) s += line(p);
      return encoder.encode(s);
    },
    encode: line,
    writeEncoded: (bytes) => bytes,
    finish: () => EMPTY,
  };
}

function jsonlWriter(
  toObject: (p: PreparedRecord) => Record<string, unknown>,
  rejects: (p: PreparedRecord) => SkipReason | null = () => null,
): ExportWriter {
  return linesWriter((p) => `${JSON.stringify(toObject(p))}\n`, rejects);
}

const scoresOf = (ps: readonly Passage[]): number[] | undefined =>
  ps.length && ps.every((p) => typeof p.score === "number") ? ps.map((p) => p.score!) : undefined;

/** FlagEmbedding: {query, pos, neg, pos_scores?, neg_scores?, prompt?, type?}. */
export function flagEmbeddingObject(p: PreparedRecord): Record<string, unknown> {
  const o: Record<string, unknown> = {
    query: p.record.query,
    pos: p.positives.map((x) => x.text),
    neg: p.negatives.map((x) => x.text),
  };
  const posScores = scoresOf(p.positives);
  const negScores = scoresOf(p.negatives);
  if (posScores && (negScores || !p.negatives.length)) {
    o.pos_scores = posScores;
    o.neg_scores = negScores ?? [];
  }
  if (p.prompt !== null) o.prompt = p.prompt;
  const type = p.record.meta.type;
  if (typeof type === "string") o.type = type;
  return o;
}

function tevatronPassage(p: Passage, fallbackId: string): Record<string, unknown> {
  const meta = p.meta ?? {};
  const out: Record<string, unknown> = {
    docid: typeof meta.docid === "string" || typeof meta.docid === "number" ? String(meta.docid) : fallbackId,
    title: typeof meta.title === "string" ? meta.title : "",
    text: p.text,
  };
  if (typeof p.score === "number") out.score = p.score;
  return out;
}

/** Tevatron: {query_id, query, positive_passages:[{docid,title,text}], negative_passages:[…]}. */
export function tevatronObject(p: PreparedRecord): Record<string, unknown> {
  const id = p.record.id;
  return {
    query_id: p.record.externalId ?? String(id),
    query: p.instructedQuery,
    positive_passages: p.positives.map((x, i) => tevatronPassage(x, `${id}-p${i}`)),
    negative_passages: p.negatives.map((x, i) => tevatronPassage(x, `${id}-n${i}`)),
  };
}

/** Record meta keys that describe the import, not the data (never written back). */
const IMPORT_META = new Set(["nesting"]);

/** Which E5 generated-object shape a family is written as, and whether it needs a hard negative. */
export function e5Shape(family: PreparedRecord["record"]["taskFamily"]): {
  keys: [string, string, string];
  needsNegative: boolean;
  explicitFamily: boolean;
} {
  switch (family) {
    case "long-short":
    case "classification":
      return {
        keys: ["input_text", "label", "misleading_label"],
        needsNegative: true,
        explicitFamily: false,
      };
    case "short-short":
    case "long-long":
      return {
        keys: ["input", "positive_document", "hard_negative_document"],
        needsNegative: false,
        explicitFamily: true,
      };
    case "sts":
    case "bitext":
      return { keys: ["S1", "S2", "S3"], needsNegative: true, explicitFamily: true };
    default:
      return {
        keys: ["user_query", "positive_document", "hard_negative_document"],
        needsNegative: true,
        explicitFamily: false,
      };
  }
}

/**
 * E5 synthetic: what was imported, in its current (reviewed) form — id, task, the family when the
 * keys leave it open, the generation params, the source's other fields, and the generated fields
 * of the family (one hard negative at most, as E5 generates).
 */
export function e5Object(p: PreparedRecord): Record<string, unknown> {
  const r = p.record;
  const shape = e5Shape(r.taskFamily);
  const o: Record<string, unknown> = {};
  if (r.externalId !== null) o.id = r.externalId;
  if (r.task !== null) o.task = r.task;
  if (shape.explicitFamily) o.task_family = r.taskFamily;
  if (Object.keys(r.params).length) o.params = r.params;
  const [q, pos, neg] = shape.keys;
  for (const [k, v] of Object.entries(r.meta)) {
    if (IMPORT_META.has(k) || k === q || k === pos || k === neg || k in o) continue;
    o[k] = v;
  }
  o[q] = r.query;
  o[pos] = p.positives[0]!.text;
  if (p.negatives[0]) o[neg] = p.negatives[0].text;
  return o;
}

function parquetWriter(columns: string[]): ExportWriter {
  const bytes = new ByteWriter(1 << 20);
  const schema: SchemaElement[] = [
    { name: "root", num_children: columns.length },
    ...columns.map(
      (name): SchemaElement => ({
        name,
        type: "BYTE_ARRAY",
        converted_type: "UTF8",
        repetition_type: "REQUIRED",
      }),
    ),
  ];
  let pw: ParquetWriter | null = null;
  /** Hands out what the byte writer holds and rewinds it (its offset keeps counting for the footer). */
  const drain = (): Uint8Array => {
    const out = bytes.getBytes().slice();
    bytes.index = 0;
    return out;
  };
  const n = columns.length - 2;
  /** One row group of rows (each one string per column). */
  const writeRows = (rows: readonly (readonly string[])[]): Uint8Array => {
    if (!rows.length) return EMPTY;
    const data: string[][] = columns.map(() => new Array<string>(rows.length));
    rows.forEach((row, i) => {
      for (let c = 0; c < row.length; c++) data[c]![i] = row[c]!;
    });
    pw!.write({
      columnData: columns.map((name, c) => ({ name, data: data[c]!, type: "STRING", nullable: false })),
      rowGroupSize: rows.length,
    });
    return drain();
  };
  return {
    rejects: (p) => (p.negatives.length < columns.length - 2 ? "too_few_negatives" : null),
    start() {
      pw = new ParquetWriter({ writer: bytes, schema, createdBy: "pairsift", statistics: false });
      return drain();
    },
    write: (records) => writeRows(records.map((p) => stRow(p, n))),
    encode: (p) => JSON.stringify(stRow(p, n)),
    writeEncoded(bytes, lengths) {
      const rows: string[][] = [];
      let at = 0;
      for (const len of lengths) {
        rows.push(JSON.parse(decoder.decode(bytes.subarray(at, at + len))) as string[]);
        at += len;
      }
      return writeRows(rows);
    },
    finish() {
      pw!.finish();
      return drain();
    },
  };
}

/** The writer for a format and options. */
export function createWriter(format: ExportFormat, o: Pick<ExportOptions, "negatives">): ExportWriter {
  const n = o.negatives === "all" ? 0 : o.negatives;
  const tooFew = (p: PreparedRecord): SkipReason | null =>
    p.negatives.length < n ? "too_few_negatives" : null;
  switch (format) {
    case "flagembedding":
      return jsonlWriter(flagEmbeddingObject);
    case "tevatron":
      return jsonlWriter(tevatronObject);
    case "e5":
      return jsonlWriter(e5Object, (p) =>
        e5Shape(p.record.taskFamily).needsNegative && !p.negatives.length ? "too_few_negatives" : null,
      );
    case "sentence-transformers": {
      const cols = stColumns(n);
      return jsonlWriter((p) => {
        const row = stRow(p, n);
        const o: Record<string, string> = {};
        cols.forEach((c, i) => {
          o[c] = row[i]!;
        });
        return o;
      }, tooFew);
    }
    case "sentence-transformers-csv": {
      const cols = stColumns(n);
      return linesWriter((p) => csvLine(stRow(p, n)), tooFew, csvLine(cols));
    }
    case "sentence-transformers-parquet":
      return parquetWriter(stColumns(n));
  }
}
