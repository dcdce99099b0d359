import { z } from "zod";
import {
  EMPTY_TEXT,
  extraFields,
  has,
  type InputFormat,
  isBlank,
  safeParse,
  scoreListSchema,
  type ToRecordResult,
  textListSchema,
  textSchema,
} from "./format";
import { recordLanguage } from "./language";
import { inferFamilyFromLengths } from "./text";
import type { Passage, TaskFamily } from "./types";

/** FlagEmbedding `type` values that name a family; other types ("normal", "only_1neg"…) infer it from lengths. */
const TYPE_FAMILIES: Record<string, TaskFamily> = {
  symmetric_sts: "sts",
  symmetric_class: "classification",
  symmetric_clustering: "clustering",
};

const CONSUMED = new Set(["query", "pos", "neg", "pos_scores", "neg_scores", "prompt"]);

const common = {
  pos_scores: scoreListSchema.nullish(),
  neg_scores: scoreListSchema.nullish(),
  prompt: z.string({ error: "a string" }).nullish(),
};

/** Plain FlagEmbedding: texts are strings. A lone string for `pos` is read as a one-item list. */
const plainSchema = z.object({
  query: textSchema,
  pos: textListSchema.min(1, { error: "a non-empty array of strings" }),
  neg: textListSchema.nullish(),
  ...common,
});

/** GritLM variant: every text is an [instruction, text] pair; the instruction may be empty. */
const PAIR = "an [instruction, text] pair";
const PAIRS = "an array of [instruction, text] pairs";
const pairOf = (error: string) =>
  z.tuple([z.string({ error }), z.string({ error }).refine((s) => !isBlank(s), { error: EMPTY_TEXT })], {
    error,
  });
const gritSchema = z.object({
  query: pairOf(PAIR),
  pos: z.array(pairOf(PAIRS), { error: PAIRS }).min(1, { error: `a non-empty ${PAIRS.slice(3)}` }),
  neg: z.array(pairOf(PAIRS), { error: PAIRS }).nullish(),
  ...common,
});

/** Passages with their teacher scores and, for GritLM, their instruction in meta. */
function passages(texts: string[], scores: number[] | null | undefined, instructions?: string[]): Passage[] {
  return texts.map((text, i) => {
    const p: Passage = { text };
    const score = scores?.[i];
    if (score !== undefined) p.score = score;
    if (instructions) p.meta = { instruction: instructions[i] };
    return p;
  });
}

function countMismatch(
  field: string,
  scores: unknown[] | null | undefined,
  of: string,
  n: number,
): string | undefined {
  if (!scores || scores.length === n) return undefined;
  return `"${field}" has ${scores.length} score${scores.length === 1 ? "" : "s"} but "${of}" has ${n} passage${n === 1 ? "" : "s"}`;
}

function toRecord(obj: Record<string, unknown>): ToRecordResult {
  const grit = Array.isArray(obj.query);
  let query: string;
  let task: string | undefined;
  let pos: string[];
  let neg: string[];
  let posScores: number[] | null | undefined;
  let negScores: number[] | null | undefined;
  let posInstr: string[] | undefined;
  let negInstr: string[] | undefined;
  let prompt: string | null | undefined;

  if (grit) {
    const r = safeParse(gritSchema, obj);
    if (!r.ok) return r;
    const d = r.data;
    query = d.query[1];
    task = isBlank(d.query[0]) ? undefined : d.query[0];
    pos = d.pos.map((p) => p[1]);
    posInstr = d.pos.map((p) => p[0]);
    neg = (d.neg ?? []).map((p) => p[1]);
    negInstr = (d.neg ?? []).map((p) => p[0]);
    posScores = d.pos_scores;
    negScores = d.neg_scores;
    prompt = d.prompt;
  } else {
    const r = safeParse(plainSchema, typeof obj.pos === "string" ? { ...obj, pos: [obj.pos] } : obj);
    if (!r.ok) return r;
    const d = r.data;
    query = d.query;
    pos = d.pos;
    neg = d.neg ?? [];
    posScores = d.pos_scores;
    negScores = d.neg_scores;
    prompt = d.prompt;
  }
  const mismatch =
    countMismatch("pos_scores", posScores, "pos", pos.length) ??
    countMismatch("neg_scores", negScores, "neg", neg.length);
  if (mismatch) return { ok: false, reason: mismatch };
  if (prompt && !isBlank(prompt)) {
    // GritLM data has no prompt field; if both are given, the prompt is the task and the query instruction stays in meta.
    task = prompt;
  }

  const positives = passages(pos, posScores, posInstr);
  const negatives = passages(neg, negScores, negInstr);

  const meta = extraFields(obj, CONSUMED);
  if (grit) {
    meta.variant = "gritlm";
    if (task !== (obj.query as unknown[])[0]) meta.queryInstruction = (obj.query as unknown[])[0];
  }
  const type = obj.type;
  const positive = positives[0] as Passage;
  const family =
    (typeof type === "string" && Object.hasOwn(TYPE_FAMILIES, type) && TYPE_FAMILIES[type]) ||
    inferFamilyFromLengths(query, positive.text);

  return {
    ok: true,
    record: {
      task,
      taskFamily: family,
      language: recordLanguage(undefined, query, positive.text),
      query,
      positive,
      extraPositives: positives.slice(1),
      negatives,
      params: {},
      meta,
    },
  };
}

export const flagembedding: InputFormat = {
  id: "flagembedding",
  label: "FlagEmbedding / GritLM",
  description:
    "FlagEmbedding (BGE) fine-tuning data {query, pos[], neg[], pos_scores?, neg_scores?, prompt?, type?}; " +
    "also the GritLM variant where texts are [instruction, text] pairs",
  example:
    '{"query": "what is a hard negative", "pos": ["A hard negative is a passage…"], "neg": ["Negative numbers are…"], ' +
    '"pos_scores": [0.92], "neg_scores": [0.41], "prompt": "Represent this query for retrieving relevant passages: "}',
  detect(obj) {
    return has(obj, "query") && has(obj, "pos");
  },
  toRecord,
};
