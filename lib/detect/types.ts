import { z } from "zod";
import type { CanonicalRecord } from "@/lib/formats/types";

/** Defect codes: exactly these names appear in flags, the database, `pairsift scan --json` and the UI. */
export const DEFECTS = [
  "self_explanation",
  "query_leakage",
  "length_mismatch",
  "duplicate_negative",
  "false_negative",
  "negative_rank",
  "positive_rank",
  "empty_or_truncated",
  "duplicate_record",
  "language_mismatch",
  "instruction_echo",
] as const;
export const defectSchema = z.enum(DEFECTS);
export type Defect = z.infer<typeof defectSchema>;

export const TARGETS = ["query", "positive", "negative"] as const;
export type Target = (typeof TARGETS)[number];

/** Which text a span points into. `negative` needs `negativeIndex`; `task` is the task definition. */
export const evidenceSchema = z.object({
  field: z.enum(["query", "positive", "negative", "task"]),
  negativeIndex: z.number().int().nonnegative().optional(),
  /** UTF-16 offsets into that text (what JavaScript string indices are), end exclusive; 0/0 for no span. */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  /** Short, human: "asked: at least 200 words · got: 61", "copies 9 of the query's 10 words". */
  note: z.string(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const flagSchema = z.object({
  defect: defectSchema,
  target: z.enum(TARGETS),
  /** Index of the negative (0-based) when target is "negative". */
  negativeIndex: z.number().int().nonnegative().optional(),
  /** Confidence / severity in [0, 1]. */
  score: z.number().min(0).max(1),
  evidence: z.array(evidenceSchema),
  /** "<detector name>@<version>", e.g. "self_explanation@1". */
  detector: z.string(),
});
export type Flag = z.infer<typeof flagSchema>;

/** What detectors read: the canonical record (imported or parsed from a file). */
export type DetectRecord = Pick<
  CanonicalRecord,
  | "task"
  | "taskFamily"
  | "language"
  | "query"
  | "positive"
  | "extraPositives"
  | "negatives"
  | "label"
  | "misleadingLabel"
  | "params"
>;

/** Teacher relevance for one record (see lib/teacher). Undefined entries: no score for that passage. */
export interface TeacherResult {
  teacher: string;
  positive?: number;
  negatives: (number | undefined)[];
  /** 1-based rank of the positive / each negative among the data set's passages for this query. */
  positiveRank?: number;
  negativeRanks?: (number | undefined)[];
  /**
   * What the ranks are among. "pool" (also when absent): the data set's passage pool (BM25, embeddings).
   * "record": only the record's own passages (scores given in the file): such ranks cannot be held to
   * pool thresholds like "negatives from ranks 30-100", so the rank detectors skip them.
   */
  rankScope?: "pool" | "record";
  /** Ranks are exact up to this depth; a rank of rankDepth + 1 means "deeper than rankDepth". */
  rankDepth?: number;
}

/**
 * Data-set-level state a detector may need (length statistics per task, near-duplicate indexes…),
 * built by one pass over every record before detection. `key` is the record's position in that pass.
 */
export interface Collector<C> {
  add(record: DetectRecord, key: number): void;
  finish(): C;
  /**
   * The per-record half of `add`, for parallel runs: pure (depends on the record only), runs on
   * any thread, and returns a value that survives structured cloning (numbers, strings, typed
   * arrays, plain objects). `addPrepared` takes it in key order on the thread that collects;
   * `add(r, k)` must do exactly `addPrepared(prepare(r), k)`. Collectors without the pair are fed
   * with `add` on the collecting thread.
   */
  prepare?(record: DetectRecord): unknown;
  addPrepared?(prepared: unknown, key: number): void;
}

export interface DetectContext<C = unknown> {
  /** Position of the record in the collection pass (the same `key` the collector saw). */
  key: number;
  /** What this detector's collector built, if it has one. */
  data: C;
  teacher?: TeacherResult;
}

export interface Detector<O = Record<string, unknown>, C = undefined> {
  defect: Defect;
  /** Bumped whenever the detector's behaviour changes; flags carry `${defect}@${version}`. */
  version: number;
  description: string;
  /** Thresholds with defaults; settable per data set. */
  optionsSchema: z.ZodType<O>;
  collect?: (options: O) => Collector<C>;
  detect(record: DetectRecord, context: DetectContext<C>, options: O): Flag[];
}
