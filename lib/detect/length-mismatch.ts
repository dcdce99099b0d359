/**
 * length_mismatch: the generated length does not respect the requested one.
 *
 * Requests come from the E5 generation parameters:
 * - `query_length` ("less than 5 words", "5 to 15 words", "5-10 words", "at least 10 words") → the query;
 * - `num_words` (50, "200", "at least 200 words", "less than 10") → the positive and the negatives
 *   (short-long, long-long, short-short and unknown families: "documents should be at least N
 *   words"), or the query for long-short, where it sizes `input_text`.
 *
 * Words are `countWordsAccurate` words (Intl.Segmenter word-like segments: for Chinese and
 * Japanese one dictionary word, ~1.6-1.7 characters; the bench generator uses the same convention).
 *
 * Default tolerances, chosen so that ordinary generator drift is not flagged:
 * - "at least N": flag below 0.6·N. Generators commonly undershoot long requests by 10-30%
 *   (asked 500, wrote 380): that is not worth a review. Below 60% the request was clearly ignored.
 * - "less than N": flag at (N − 1) + max(2, ⌈0.25·N⌉) words and above ("less than 5 words" → 7+),
 *   so that one extra word or a hyphenated name does not count.
 * - "A to B": below 0.6·A, or above B + max(2, ⌈0.25·B⌉).
 *
 * Without parameters, a weaker flag (score ≤ 0.5) marks length outliers within a task: robust
 * z-score of log(1 + words) per task and field (median and MAD over the data set, MAD floored at
 * 0.2 ≈ ±20%: with |z| > 3.5 a length must then be ~3× off the median), only for tasks with at
 * least 30 records.
 */
import { z } from "zod";
import { clamp01, evidence, type FieldText, fieldsOf, makeFlag } from "./common";
import { growU32 } from "./growable";
import { countWordsAccurate, needsDictionarySegmentation } from "./text";
import type { Collector, Detector, DetectRecord, Flag } from "./types";

const VERSION = 1;

export const lengthMismatchOptions = z.object({
  /** "at least N" is violated below this share of N. */
  atLeastRatio: z.number().min(0).max(1).default(0.6),
  /** "less than N" / range maxima: words allowed above the maximum, as a share of N… */
  overRatio: z.number().min(0).default(0.25),
  /** …and at least this many words. */
  overMinWords: z.number().int().nonnegative().default(2),
  /** Outlier flag without parameters. */
  outliers: z.boolean().default(true),
  outlierZ: z.number().positive().default(3.5),
  outlierMinRecords: z.number().int().positive().default(30),
  /** Floor of the MAD of log lengths (0.2 ≈ ±20%), so uniform tasks do not flag ordinary spread. */
  outlierMinMad: z.number().nonnegative().default(0.2),
  outlierMaxScore: z.number().min(0).max(1).default(0.5),
});
export type LengthMismatchOptions = z.infer<typeof lengthMismatchOptions>;

export interface LengthSpec {
  min?: number;
  max?: number;
  /** As asked, for the evidence note ("at least 200 words"). */
  asked: string;
}

const NUM = "(\\d+(?:[.,]\\d+)?)";

/** Parses a length request: 200, "200", "at least 200 words", "less than 5 words", "5 to 15 words", "5-10 words". */
export function parseLengthSpec(value: unknown): LengthSpec | undefined {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) {
    return { min: value, asked: `at least ${value} words` };
  }
  if (typeof value !== "string") return undefined;
  const v = value.trim().toLowerCase();
  const num = (s: string | undefined) => Number((s ?? "").replace(",", "."));
  let m = new RegExp(`^(?:between\\s+)?${NUM}\\s*(?:to|-|–|—|~|and)\\s*${NUM}(?:\\s+words?)?$`).exec(v);
  if (m) {
    const a = num(m[1]);
    const b = num(m[2]);
    return { min: Math.min(a, b), max: Math.max(a, b), asked: value.trim() };
  }
  m = new RegExp(`^(?:less|fewer)\\s+than\\s+${NUM}(?:\\s+words?)?$`).exec(v);
  if (m) return { max: num(m[1]) - 1, asked: value.trim() };
  m = new RegExp(
    `^(?:at\\s+most|no\\s+more\\s+than|up\\s+to|under|maximum(?:\\s+of)?)\\s+${NUM}(?:\\s+words?)?$`,
  ).exec(v);
  if (m) return { max: num(m[1]), asked: value.trim() };
  m = new RegExp(`^(?:at\\s+least|no\\s+less\\s+than|minimum(?:\\s+of)?)\\s+${NUM}(?:\\s+words?)?$`).exec(v);
  if (m) return { min: num(m[1]), asked: value.trim() };
  m = new RegExp(`^(?:more\\s+than|over)\\s+${NUM}(?:\\s+words?)?$`).exec(v);
  if (m) return { min: num(m[1]) + 1, asked: value.trim() };
  m = new RegExp(`^${NUM}(?:\\s+words?)?$`).exec(v);
  if (m) return { min: num(m[1]), asked: `at least ${m[1]} words` };
  return undefined;
}

/** Which fields a record's length parameters apply to. */
export function lengthRequests(
  record: DetectRecord,
): { field: FieldText; spec: LengthSpec; param: string }[] {
  const out: { field: FieldText; spec: LengthSpec; param: string }[] = [];
  const fields = fieldsOf(record);
  const query = fields[0] as FieldText;
  const ql = parseLengthSpec(record.params.query_length);
  if (ql) out.push({ field: query, spec: ql, param: "query_length" });
  const nw = parseLengthSpec(record.params.num_words);
  if (nw) {
    const fam = record.taskFamily;
    if (fam === "long-short" || fam === "classification") {
      if (!ql) out.push({ field: query, spec: nw, param: "num_words" });
    } else if (fam !== "sts" && fam !== "bitext" && fam !== "clustering") {
      for (const f of fields.slice(1)) out.push({ field: f, spec: nw, param: "num_words" });
    }
  }
  return out;
}

/** Cheap upper-ish estimate for CJK text, to skip the segmenter when the answer is obvious. */
function estimateCjkWords(text: string): number {
  let han = 0;
  let kata = 0;
  let other = 0;
  let inRun = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3040 && c <= 0x309f) || (c >= 0x3400 && c <= 0x4dbf)) {
      han++;
      inRun = false;
    } else if (c >= 0x30a0 && c <= 0x30ff) {
      kata++;
      inRun = false;
    } else if (
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c >= 0xac00
    ) {
      if (!inRun) other++;
      inRun = true;
    } else inRun = false;
  }
  return han / 1.65 + kata / 3.6 + other;
}

/**
 * The word count, exact where it matters: counting stops above `stopAbove`, and Chinese/Japanese
 * text whose estimate is over 1.25 × `skipAbove` is not segmented at all (returns the estimate;
 * the estimate stays within ~10% of the segmenter's count on ordinary text).
 */
function wordsFor(text: string, lang: string | undefined, stopAbove: number, skipAbove: number): number {
  if (needsDictionarySegmentation(text)) {
    const est = estimateCjkWords(text);
    if (est > skipAbove * 1.25) return Math.round(est);
  }
  return countWordsAccurate(text, lang, stopAbove);
}

interface Violation {
  actual: number;
  score: number;
  kind: "short" | "long";
}

/** Checks one text against a spec; undefined when the request is respected (within tolerance). */
export function checkLength(
  text: string,
  spec: LengthSpec,
  o: LengthMismatchOptions,
  lang?: string,
): Violation | undefined {
  const minOk = spec.min !== undefined ? spec.min * o.atLeastRatio : undefined;
  const maxOk =
    spec.max !== undefined
      ? spec.max + Math.max(o.overMinWords, Math.ceil(o.overRatio * (spec.max + 1)))
      : undefined;
  // Count only as far as a decision needs.
  const stopAbove = maxOk !== undefined ? maxOk + 1 : (minOk ?? 0) + 1;
  const actual = wordsFor(text, lang, maxOk !== undefined ? Number.POSITIVE_INFINITY : stopAbove, stopAbove);
  if (minOk !== undefined && spec.min !== undefined && actual < minOk) {
    const shortfall = 1 - actual / minOk;
    return { actual, kind: "short", score: clamp01(0.55 + 0.45 * shortfall) };
  }
  if (maxOk !== undefined && spec.max !== undefined && actual > maxOk) {
    const excess = (actual - maxOk) / Math.max(1, maxOk);
    return { actual, kind: "long", score: clamp01(0.55 + 0.45 * Math.min(1, excess)) };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Outliers without parameters

type FieldKey = "query" | "positive" | "negative";

interface Stats {
  n: number;
  median: number;
  mad: number;
}

export type LengthStats = Map<string, Stats>;

const statKey = (record: DetectRecord, field: FieldKey): string =>
  `${record.task ?? `family:${record.taskFamily}`}\u0000${field}`;

/**
 * Class of each UTF-16 code unit for `countWords`: 0 a word character, 1 a space, 2 a Han/Kana
 * character (ends a word, counts half a word). Built from the rules of lib/formats/text.ts.
 */
const WORD_CLASS = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) {
  if (c > 0x20 && c < 0x2000 && c !== 0xa0) continue;
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200b))
    WORD_CLASS[c] = 1;
  else if (
    (c >= 0x3040 && c <= 0x30ff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xf900 && c <= 0xfaff)
  )
    WORD_CLASS[c] = 2;
}

/**
 * `countWords` of lib/formats/text.ts (whitespace tokens, two Han/Kana characters = one word), the
 * same count from a class table and without branches on the characters (a word starts where a word
 * character follows a space, a Han/Kana character or the start). One of the hot loops of a
 * detection run.
 */
export function countWords(text: string): number {
  let words = 0;
  let cjk = 0;
  // 1 after a space or a Han/Kana character (and at the start): a word character starts a word
  let sep = 1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const k = WORD_CLASS[text.charCodeAt(i)] as number;
    const s = (k + 1) >> 1;
    words += sep & (s ^ 1);
    cjk += k >> 1;
    sep = s;
  }
  return words + Math.ceil(cjk / 2);
}

class FloatList {
  buf = new Float32Array(64);
  length = 0;
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
}

function median(sorted: Float32Array): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Fields whose length the parameters already constrain: no outlier check there. */
function constrained(record: DetectRecord): Set<FieldKey> {
  return new Set(lengthRequests(record).map((r) => r.field.target));
}

/** One record's share of the statistics: (task and field, word count) pairs. */
interface LengthPrepared {
  keys: string[];
  words: number[];
}

/**
 * Each record's word counts (`countWords`) of the fields the outlier check looks at, in field
 * order (query, positive, negatives; constrained fields left out), from the collection pass, so
 * that detection does not count them again: `words[at[i]..at[i + 1])` for the i-th record added,
 * whose key is `keys[i]`. On SharedArrayBuffers: worker threads share them instead of copying.
 * 4 bytes per field, 8 per record.
 */
export interface WordCounts {
  keys: Uint32Array;
  at: Uint32Array;
  words: Uint32Array;
}

/** What the collection pass yields. */
export interface LengthData {
  stats: LengthStats;
  counts?: WordCounts;
}

function sharedCopy(view: Uint32Array): Uint32Array {
  const out = new Uint32Array(new SharedArrayBuffer(Math.max(1, view.length) * 4), 0, view.length);
  out.set(view);
  return out;
}

function lengthCollector(o: LengthMismatchOptions): Collector<LengthData> {
  const lists = new Map<string, FloatList>();
  const keys = growU32(1024);
  const at = growU32(1024);
  const words = growU32(4096);
  /** Whether the keys so far are 0, 1, 2… (then detection finds a record's counts by its key). */
  let dense = true;
  const add = (key: string, v: number) => {
    let l = lists.get(key);
    if (!l) {
      l = new FloatList();
      lists.set(key, l);
    }
    l.push(v);
  };
  const prepare = (record: DetectRecord): LengthPrepared | null => {
    if (!o.outliers) return null;
    const skip = constrained(record);
    const keys: string[] = [];
    const words: number[] = [];
    const put = (key: string, v: number) => {
      keys.push(key);
      words.push(v);
    };
    if (!skip.has("query")) put(statKey(record, "query"), countWords(record.query));
    if (!skip.has("positive")) put(statKey(record, "positive"), countWords(record.positive.text));
    if (!skip.has("negative")) {
      const key = statKey(record, "negative");
      for (const n of record.negatives) put(key, countWords(n.text));
    }
    return { keys, words };
  };
  const addPrepared = (prepared: unknown, key: number) => {
    const p = prepared as LengthPrepared | null;
    if (!p) return;
    for (let i = 0; i < p.keys.length; i++) add(p.keys[i]!, Math.log1p(p.words[i]!));
    if (!dense) return;
    if (key !== keys.length) {
      dense = false;
      return;
    }
    keys.push(key);
    at.push(words.length);
    for (const w of p.words) words.push(w);
  };
  return {
    add(record, key) {
      addPrepared(prepare(record), key);
    },
    prepare,
    addPrepared,
    finish() {
      const stats: LengthStats = new Map();
      for (const [key, list] of lists) {
        const values = list.buf.slice(0, list.length).sort();
        const med = median(values);
        const dev = values.map((v) => Math.abs(v - med)).sort();
        stats.set(key, { n: list.length, median: med, mad: median(dev) });
      }
      if (!dense || keys.length === 0) return { stats };
      at.push(words.length);
      return {
        stats,
        counts: { keys: sharedCopy(keys.view()), at: sharedCopy(at.view()), words: sharedCopy(words.view()) },
      };
    },
  };
}

/** The word counts the collection pass kept for this record (undefined: count again). */
function countsOf(counts: WordCounts | undefined, key: number, fields: number): Uint32Array | undefined {
  if (!counts || key >= counts.keys.length || counts.keys[key] !== key) return undefined;
  const from = counts.at[key] as number;
  const to = counts.at[key + 1] as number;
  return to - from === fields ? counts.words.subarray(from, to) : undefined;
}

export const lengthMismatch: Detector<LengthMismatchOptions, LengthData> = {
  defect: "length_mismatch",
  version: VERSION,
  description:
    "Actual length vs the requested one (query_length, num_words); without parameters, a weak flag " +
    "for lengths far from the task's typical length.",
  optionsSchema: lengthMismatchOptions,
  collect: lengthCollector,
  detect(record, ctx, o): Flag[] {
    const flags: Flag[] = [];
    const requests = lengthRequests(record);
    for (const { field, spec } of requests) {
      const v = checkLength(field.text, spec, o, record.language);
      if (!v) continue;
      const note = `asked: ${spec.asked} · got: ${v.actual}`;
      flags.push(makeFlag("length_mismatch", VERSION, field, v.score, [evidence(field, 0, 0, note)]));
    }
    if (!o.outliers || !ctx.data) return flags;
    const skip = new Set(requests.map((r) => r.field.target));
    const fields = fieldsOf(record).filter((f) => !skip.has(f.target));
    const counted = countsOf(ctx.data.counts, ctx.key, fields.length);
    const stats = new Map<FieldKey, Stats | undefined>();
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as FieldText;
      let st = stats.get(field.target);
      if (!stats.has(field.target)) {
        st = ctx.data.stats.get(statKey(record, field.target));
        stats.set(field.target, st);
      }
      if (!st || st.n < o.outlierMinRecords) continue;
      const words = counted ? (counted[i] as number) : countWords(field.text);
      const x = Math.log1p(words);
      const zScore = (0.6745 * (x - st.median)) / Math.max(st.mad, o.outlierMinMad);
      if (Math.abs(zScore) <= o.outlierZ) continue;
      const typical = Math.round(Math.expm1(st.median));
      const note = `${zScore < 0 ? "unusually short" : "unusually long"} for its task: ${words} words · typical: ${typical}`;
      const score = Math.min(
        o.outlierMaxScore,
        0.3 + 0.2 * Math.min(1, (Math.abs(zScore) - o.outlierZ) / o.outlierZ),
      );
      flags.push(makeFlag("length_mismatch", VERSION, field, score, [evidence(field, 0, 0, note)]));
    }
    return flags;
  },
};
