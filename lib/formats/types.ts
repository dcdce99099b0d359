import { z } from "zod";

/**
 * Task families: the six E5-Mistral synthetic families, plus the shapes real
 * (non-synthetic) training sets use. Everything downstream keys on this.
 */
export const TASK_FAMILIES = [
  "short-long",
  "long-short",
  "short-short",
  "long-long",
  "sts",
  "bitext",
  "classification",
  "clustering",
  "other",
] as const;
export const taskFamilySchema = z.enum(TASK_FAMILIES);
export type TaskFamily = z.infer<typeof taskFamilySchema>;

/** Generation parameters named after the E5 prompt placeholders (kept as given). */
export const GENERATION_PARAMS = [
  "query_type",
  "query_length",
  "clarity",
  "num_words",
  "difficulty",
  "language",
  "unit",
  "high_score",
  "low_score",
  "source_language",
  "target_language",
] as const;

const paramValue = z.union([z.string(), z.number(), z.boolean()]);

export const passageSchema = z.object({
  text: z.string().min(1),
  /** Teacher score when the input file gives one (FlagEmbedding pos_scores / neg_scores). */
  score: z.number().finite().optional(),
  /** Per-passage extras kept for round-trip export (Tevatron docid/title, GritLM instruction). */
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type Passage = z.infer<typeof passageSchema>;

/** The one shape every input format is converted to, and every exporter reads. */
export const canonicalRecordSchema = z.object({
  externalId: z.string().optional(),
  /** Task definition / instruction (E5 `task`, FlagEmbedding `prompt`). */
  task: z.string().optional(),
  taskFamily: taskFamilySchema,
  /** BCP-47-ish short code ("en", "zh", "ko"), or undefined when unknown. */
  language: z.string().optional(),
  query: z.string().min(1),
  positive: passageSchema,
  /** Further positives (FlagEmbedding `pos` beyond the first, Tevatron positive_passages). */
  extraPositives: z.array(passageSchema),
  negatives: z.array(passageSchema),
  /** long-short (classification): the label and the misleading label as generated. */
  label: z.string().optional(),
  misleadingLabel: z.string().optional(),
  params: z.record(z.string(), paramValue),
  /** Everything else in the source object worth keeping (type, category, query instruction…). */
  meta: z.record(z.string(), z.unknown()),
});
export type CanonicalRecord = z.infer<typeof canonicalRecordSchema>;

/** One item coming out of a parser: a record or a rejected line, each with its line (or row) number. */
export type ParseEvent =
  | { kind: "record"; line: number; record: CanonicalRecord; hash: string }
  | { kind: "error"; line: number; reason: string };
