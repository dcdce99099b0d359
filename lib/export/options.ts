/**
 * Export options: one zod schema for every way an export is asked for (the export page's form,
 * the download route's search params, `pairsift export`). Defaults follow the Linq / SFR recipe:
 * accepted and relabeled records, one hard negative, `Instruct: {task}\nQuery: {query}`,
 * task-homogeneous batches.
 */
import { z } from "zod";

/** What an export writes. sentence-transformers comes as JSONL, CSV or Parquet. */
export const EXPORT_FORMATS = [
  "flagembedding",
  "sentence-transformers",
  "sentence-transformers-csv",
  "sentence-transformers-parquet",
  "tevatron",
  "e5",
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_FORMAT_INFO: Record<
  ExportFormat,
  { label: string; extension: string; contentType: string; description: string }
> = {
  flagembedding: {
    label: "FlagEmbedding JSONL",
    extension: "jsonl",
    contentType: "application/x-ndjson; charset=utf-8",
    description:
      "{query, pos, neg, pos_scores?, neg_scores?, prompt?, type?}: the instruction goes to prompt",
  },
  "sentence-transformers": {
    label: "sentence-transformers JSONL",
    extension: "jsonl",
    contentType: "application/x-ndjson; charset=utf-8",
    description: "anchor, positive[, negative | negative_1..n]",
  },
  "sentence-transformers-csv": {
    label: "sentence-transformers CSV",
    extension: "csv",
    contentType: "text/csv; charset=utf-8",
    description: "anchor, positive[, negative | negative_1..n] with a header row (RFC 4180)",
  },
  "sentence-transformers-parquet": {
    label: "sentence-transformers Parquet",
    extension: "parquet",
    contentType: "application/vnd.apache.parquet",
    description: "anchor, positive[, negative | negative_1..n] as string columns, one row group per chunk",
  },
  tevatron: {
    label: "Tevatron JSONL",
    extension: "jsonl",
    contentType: "application/x-ndjson; charset=utf-8",
    description: "{query_id, query, positive_passages:[{docid,title,text}], negative_passages:[…]}",
  },
  e5: {
    label: "E5 synthetic JSONL",
    extension: "jsonl",
    contentType: "application/x-ndjson; charset=utf-8",
    description: "the E5-Mistral generation output per task family, with task and generation params",
  },
};

/** Statuses an export may include; rejected records are never exported. */
export const EXPORTABLE_STATUSES = ["accepted", "relabeled", "pending"] as const;
export type ExportableStatus = (typeof EXPORTABLE_STATUSES)[number];

export const EXPORT_ORDERS = ["task-homogeneous", "homogeneous-then-mixed", "plain"] as const;
export type ExportOrder = (typeof EXPORT_ORDERS)[number];

export const DEFAULT_TEMPLATE = "Instruct: {task}\nQuery: {query}";

/** Families whose two sides are the same kind of text (E5's one-step, symmetric tasks). */
export const SYMMETRIC_FAMILIES = ["sts", "bitext"] as const;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const exportOptionsSchema = z
  .object({
    format: z.enum(EXPORT_FORMATS).default("flagembedding"),
    /** Review statuses to include (rejected never). */
    statuses: z
      .array(z.enum(EXPORTABLE_STATUSES))
      .min(1, "Choose at least one status.")
      .max(3)
      .default(["accepted", "relabeled"])
      .transform((s) => EXPORTABLE_STATUSES.filter((x) => s.includes(x))),
    /** Hard negatives per query: kept negatives only, in their stored order; "all" keeps every one. */
    negatives: z.union([z.literal("all"), int(0, 256)]).default(1),
    /** Teacher rank window: a negative with a rank outside [rankMin, rankMax] is left out (no rank: kept). */
    rankMin: int(1, 1_000_000).optional(),
    rankMax: int(1, 1_000_000).optional(),
    /** Query instruction: a template with {query} and optionally {task}; null = no instruction. */
    template: z
      .string()
      .max(2000)
      .refine((t) => t.split("{query}").length === 2, "The template needs {query} exactly once.")
      .nullable()
      .default(DEFAULT_TEMPLATE),
    /** Symmetric families (STS, bitext): the same instruction, or none. */
    symmetric: z.enum(["instruct", "none"]).default("instruct"),
    order: z.enum(EXPORT_ORDERS).default("task-homogeneous"),
    batchSize: int(1, 1_000_000).default(2048),
    /** homogeneous-then-mixed: the share of records kept for the final mixed-task batches. */
    mixedFraction: z.coerce.number().min(0).max(1).default(0.1),
    /** Task batches smaller than batchSize: at the end, after every full batch, or left out. */
    partialBatches: z.enum(["end", "drop"]).default("end"),
    seed: int(0, 2 ** 31 - 1).default(42),
    /** Share of each task's records held out as the dev split (0: one output). */
    devFraction: z.coerce.number().min(0).max(0.9).default(0),
  })
  .superRefine((o, ctx) => {
    if (o.rankMin !== undefined && o.rankMax !== undefined && o.rankMin > o.rankMax) {
      ctx.addIssue({ code: "custom", path: ["rankMin"], message: "rankMin is above rankMax." });
    }
    if (o.format.startsWith("sentence-transformers") && o.negatives === "all") {
      ctx.addIssue({
        code: "custom",
        path: ["negatives"],
        message: "sentence-transformers has one column per negative: give a number, not all.",
      });
    }
    if (o.format === "flagembedding" && o.template !== null && !o.template.endsWith("{query}")) {
      ctx.addIssue({
        code: "custom",
        path: ["template"],
        message:
          "FlagEmbedding puts the instruction in prompt, before the query: the template must end with {query}.",
      });
    }
  });
export type ExportOptions = z.infer<typeof exportOptionsSchema>;
export type ExportOptionsInput = z.input<typeof exportOptionsSchema>;

/** Search-param names of the options (none collides with a review-view key: the view's filter rides along). */
export const OPTION_PARAMS = {
  format: "format",
  statuses: "include",
  negatives: "negatives",
  rankMin: "rank_min",
  rankMax: "rank_max",
  template: "template",
  symmetric: "symmetric",
  order: "order",
  batchSize: "batch",
  mixedFraction: "mixed",
  partialBatches: "partial",
  seed: "seed",
  devFraction: "dev",
} as const satisfies Record<keyof ExportOptions, string>;

/** The template param's value for "no instruction". */
export const NO_TEMPLATE = "none";

type Params = URLSearchParams | Record<string, string | string[] | undefined>;
function all(p: Params, key: string): string[] {
  if (p instanceof URLSearchParams) return p.getAll(key);
  const v = p[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Options from search params (absent keys take their defaults); zod reports what is wrong. */
export function parseExportParams(p: Params) {
  const raw: Record<string, unknown> = {};
  for (const [key, param] of Object.entries(OPTION_PARAMS)) {
    const values = all(p, param).filter((v) => v !== "");
    if (!values.length) continue;
    if (key === "statuses") raw[key] = values.flatMap((v) => v.split(","));
    else if (key === "template") raw[key] = values[0] === NO_TEMPLATE ? null : values[0];
    else raw[key] = values[0];
  }
  return exportOptionsSchema.safeParse(raw);
}

/** Search params for options, defaults left out (the link that reproduces an export). */
export function exportOptionsToParams(o: ExportOptions): URLSearchParams {
  const defaults = exportOptionsSchema.parse({});
  const out = new URLSearchParams();
  for (const [key, param] of Object.entries(OPTION_PARAMS) as [keyof ExportOptions, string][]) {
    const v = o[key];
    if (v === undefined) continue;
    if (JSON.stringify(v) === JSON.stringify(defaults[key])) continue;
    if (Array.isArray(v)) for (const s of v) out.append(param, s);
    else out.set(param, v === null ? NO_TEMPLATE : String(v));
  }
  return out;
}

/** "Issue: message; issue: message" for a failed parse. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}`).join("; ");
}

/**
 * The statuses an export reads: the view's status selection (all when it has none) intersected
 * with the export's statuses — never `rejected`. An empty result means nothing is exported (an
 * empty status list in a review filter would mean "every status", so callers must check).
 */
export function exportStatuses(
  viewStatuses: readonly string[],
  statuses: readonly ExportableStatus[],
): ExportableStatus[] {
  return statuses.filter((s) => !viewStatuses.length || viewStatuses.includes(s));
}
