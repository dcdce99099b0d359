/**
 * Records to bytes for one output, a batch at a time: prepared (relabeled form, chosen negatives,
 * instruction), checked against the format, encoded with the format's `encode`, and their UTF-8
 * bytes laid back to back — what a spool appends or a chunk writes at once.
 */

import { OutputStats } from "./manifest";
import type { ExportOptions } from "./options";
import type { ExportNegative, ExportRecord } from "./record";
import { prepareRecord } from "./record";
import type { ExportWriter } from "./writers";

export interface EncodedBatch {
  /** The encoded records' UTF-8 bytes back to back, in input order (skipped records have none). */
  bytes: Uint8Array;
  /** Per input record: its length in bytes, or -1 when the format cannot carry it (counted in `skipped`). */
  lengths: Int32Array;
  /** The batch's record counts (skipped ones included), for OutputStats.merge. */
  counts: OutputStats;
}

const utf8 = new TextEncoder();

/** Encodes `records` for `writer` (see the module comment). */
export function encodeRecords(
  records: readonly ExportRecord[],
  writer: ExportWriter,
  options: ExportOptions,
): EncodedBatch {
  const counts = new OutputStats();
  const lengths = new Int32Array(records.length);
  const texts: (string | null)[] = new Array(records.length);
  let chars = 0;
  for (let i = 0; i < records.length; i++) {
    const p = prepareRecord(records[i]!, options);
    const reason = writer.rejects(p);
    if (reason) {
      counts.skipped[reason]++;
      texts[i] = null;
      continue;
    }
    counts.add(p);
    const text = writer.encode(p);
    texts[i] = text;
    chars += text.length;
  }
  // UTF-8 takes at least one byte per UTF-16 unit: start at the character count and grow when a
  // text does not fit (it is then encoded again from its start).
  let buf = new Uint8Array(Math.max(1024, Math.ceil(chars * 1.125)));
  let used = 0;
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    if (text === null || text === undefined) {
      lengths[i] = -1;
      continue;
    }
    for (;;) {
      const { read, written } = utf8.encodeInto(text, buf.subarray(used));
      if (read === text.length) {
        lengths[i] = written;
        used += written;
        break;
      }
      const grown = new Uint8Array(Math.max(buf.length * 2, used + text.length * 3));
      grown.set(buf.subarray(0, used));
      buf = grown;
    }
  }
  return { bytes: buf.subarray(0, used), lengths, counts };
}

/**
 * A record and its negatives as one JSON array, as db/queries/export.ts builds it on PGlite (one
 * text field per row: PGlite decodes rows in JavaScript field by field, which costs more than the
 * JSON.parse of one string). Negatives are [position, text, score, rank, status, meta].
 */
export type RecordTuple = [
  id: number,
  externalId: string | null,
  task: string | null,
  taskFamily: ExportRecord["taskFamily"],
  language: string | null,
  status: ExportRecord["status"],
  query: string,
  positive: string,
  positiveScore: number | string | null,
  positiveMeta: Record<string, unknown> | null,
  extraPositives: ExportRecord["extraPositives"] | null,
  label: string | null,
  misleadingLabel: string | null,
  params: ExportRecord["params"] | null,
  meta: Record<string, unknown> | null,
  negatives: NegativeTuple[] | null,
];
type NegativeTuple = [
  number,
  string,
  number | string | null,
  number | null,
  ExportNegative["status"],
  Record<string, unknown> | null,
];

/** A real as JSON: a number, or "NaN" / "Infinity" as a string. */
const real = (v: number | string | null): number | null => (typeof v === "string" ? Number(v) : v);

export function recordFromJson(json: string): ExportRecord {
  const t = JSON.parse(json) as RecordTuple;
  return {
    id: t[0],
    externalId: t[1],
    task: t[2],
    taskFamily: t[3],
    language: t[4],
    status: t[5],
    query: t[6],
    positive: t[7],
    positiveScore: real(t[8]),
    positiveMeta: t[9],
    extraPositives: t[10] ?? [],
    label: t[11],
    misleadingLabel: t[12],
    params: t[13] ?? {},
    meta: t[14] ?? {},
    negatives: t[15]
      ? t[15].map(([position, text, score, rank, status, meta]) => ({
          position,
          text,
          score: real(score),
          rank,
          status,
          meta,
        }))
      : [],
  };
}
