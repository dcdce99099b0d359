import { z } from "zod";
import {
  extraFields,
  has,
  type InputFormat,
  isPlainObject,
  numberish,
  safeParse,
  type ToRecordResult,
  textSchema,
} from "./format";
import { recordLanguage } from "./language";
import { inferFamilyFromLengths } from "./text";
import type { Passage } from "./types";

const ANCHOR_ALIASES = ["anchor", "query", "question"] as const;
const NEGATIVE_COLUMN = /^negative(?:_(\d+))?$/;

/** negative, negative_1, negative_2 … in that order. */
function negativeColumns(obj: Record<string, unknown>): string[] {
  const cols: { key: string; n: number }[] = [];
  for (const key of Object.keys(obj)) {
    const m = NEGATIVE_COLUMN.exec(key);
    if (m) cols.push({ key, n: m[1] === undefined ? -1 : Number(m[1]) });
  }
  return cols.sort((a, b) => a.n - b.n).map((c) => c.key);
}

const pairSchema = z.object({ sentence1: textSchema, sentence2: textSchema, score: numberish.nullish() });

/** The (sentence1, sentence2, score|label) pair-score shape of STS sets (KorSTS, JGLUE JSTS, KLUE STS). */
function pairToRecord(obj: Record<string, unknown>): ToRecordResult {
  const r = safeParse(pairSchema, obj);
  if (!r.ok) return r;
  const { sentence1, sentence2 } = r.data;
  const consumed = new Set(["sentence1", "sentence2"]);
  let score = r.data.score ?? undefined;
  if (score !== undefined) consumed.add("score");
  else {
    // `label` holds the score in JSTS; KLUE STS nests it as labels.label. A non-numeric label stays in meta.
    const label = numberish.safeParse(obj.label);
    const nested = isPlainObject(obj.labels) ? numberish.safeParse(obj.labels.label) : undefined;
    if (label.success) {
      score = label.data;
      consumed.add("label");
    } else if (nested?.success) {
      score = nested.data;
    }
  }
  const positive: Passage = score === undefined ? { text: sentence2 } : { text: sentence2, score };
  return {
    ok: true,
    record: {
      taskFamily: score === undefined ? inferFamilyFromLengths(sentence1, sentence2) : "sts",
      language: recordLanguage(undefined, sentence1, sentence2),
      query: sentence1,
      positive,
      extraPositives: [],
      negatives: [],
      params: {},
      meta: extraFields(obj, consumed),
    },
  };
}

/** Schemas per column set, built once (a file has one column set; building a zod schema per row is slow). */
const anchorSchemas = new Map<string, z.ZodType>();
function anchorSchema(anchorKey: string, negKeys: string[]): z.ZodType {
  const key = [anchorKey, ...negKeys].join("\u0000");
  let schema = anchorSchemas.get(key);
  if (!schema) {
    const shape: Record<string, z.ZodType> = {
      [anchorKey]: textSchema,
      positive: textSchema,
      score: numberish.nullish(),
    };
    for (const k of negKeys) shape[k] = textSchema;
    schema = z.object(shape);
    if (anchorSchemas.size < 1000) anchorSchemas.set(key, schema);
  }
  return schema;
}

function anchorToRecord(obj: Record<string, unknown>): ToRecordResult {
  const anchorKey = ANCHOR_ALIASES.find((k) => has(obj, k)) ?? "anchor";
  const negKeys = negativeColumns(obj).filter((k) => obj[k] !== null && obj[k] !== undefined);
  const r = safeParse(anchorSchema(anchorKey, negKeys), obj);
  if (!r.ok) return r;
  const d = r.data as Record<string, unknown>;
  const query = d[anchorKey] as string;
  const score = d.score as number | null | undefined;
  const positive: Passage =
    typeof score === "number" ? { text: d.positive as string, score } : { text: d.positive as string };
  const consumed = new Set([anchorKey, "positive", ...negativeColumns(obj)]);
  if (typeof score === "number") consumed.add("score");
  return {
    ok: true,
    record: {
      taskFamily: inferFamilyFromLengths(query, positive.text),
      language: recordLanguage(undefined, query, positive.text),
      query,
      positive,
      extraPositives: [],
      negatives: negKeys.map((k) => ({ text: d[k] as string })),
      params: {},
      meta: extraFields(obj, consumed),
    },
  };
}

export const sentenceTransformers: InputFormat = {
  id: "sentence-transformers",
  label: "Sentence Transformers",
  description:
    "sentence-transformers columns: (anchor|query|question, positive[, negative | negative_1..n]) " +
    "or STS pairs (sentence1, sentence2, score|label); JSONL, CSV/TSV or Parquet",
  example:
    '{"anchor": "how do hard negatives help", "positive": "They make the contrastive task harder…", "negative": "Negative numbers…"}',
  detect(obj) {
    if (has(obj, "sentence1") && has(obj, "sentence2")) return true;
    return ANCHOR_ALIASES.some((k) => has(obj, k)) && has(obj, "positive") && !has(obj, "pos");
  },
  toRecord(obj) {
    return has(obj, "sentence1") || has(obj, "sentence2") ? pairToRecord(obj) : anchorToRecord(obj);
  },
};
