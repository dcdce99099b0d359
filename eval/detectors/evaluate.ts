/**
 * Detector evaluation on labelled cases (eval/detectors/cases/*.jsonl).
 *
 * A case line: { id, lang, defect, expect, target?, negativeIndex?, group?, note?, record, teacher? }.
 * - expect true: the detector for `defect` must flag the record (at `target`, and at
 *   `negativeIndex` for a negative, when given) → TP, else FN.
 * - expect false: a hard control. It must not flag `defect` on the record (only at `target` when
 *   one is given) → FP when it does, else TN.
 * Cases sharing a `group` form one data set (the collection pass sees them all, in file order);
 * a case without a group is a data set of its own.
 *
 * Precision here is measured on the case mix (about as many controls as defects), not at the
 * prevalence of a real data set.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import {
  DEFECTS,
  type Defect,
  type DetectRecord,
  defectSchema,
  type Flag,
  type TeacherResult,
} from "@/lib/detect/types";
import { taskFamilySchema } from "@/lib/formats/types";

export const CASE_LANGS = ["en", "zh", "ja", "ko", "de", "fr", "es"] as const;
export type CaseLang = (typeof CASE_LANGS)[number];

const passage = z.object({
  text: z.string(),
  score: z.number().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

/** Lenient record shape: texts may be empty (empty_or_truncated cases). */
export const caseRecordSchema = z.object({
  task: z.string().optional(),
  taskFamily: taskFamilySchema,
  language: z.string().optional(),
  query: z.string(),
  positive: passage,
  extraPositives: z.array(passage).default([]),
  negatives: z.array(passage).default([]),
  label: z.string().optional(),
  misleadingLabel: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});

export const caseSchema = z.object({
  id: z.string().min(1),
  lang: z.enum(CASE_LANGS),
  defect: defectSchema,
  expect: z.boolean(),
  target: z.enum(["query", "positive", "negative"]).optional(),
  negativeIndex: z.number().int().nonnegative().optional(),
  group: z.string().optional(),
  note: z.string().optional(),
  record: caseRecordSchema,
  teacher: z
    .object({
      teacher: z.string(),
      positive: z.number().optional(),
      negatives: z.array(
        z
          .number()
          .optional()
          .nullable()
          .transform((v) => v ?? undefined),
      ),
      positiveRank: z.number().optional(),
      negativeRanks: z
        .array(
          z
            .number()
            .optional()
            .nullable()
            .transform((v) => v ?? undefined),
        )
        .optional(),
    })
    .optional(),
});
export type EvalCase = z.infer<typeof caseSchema>;

export const CASES_DIR = path.resolve(import.meta.dirname, "cases");

/** All cases of the *.jsonl files in a folder (file order, then line order). Throws on a bad line. */
export function loadCases(dir = CASES_DIR): EvalCase[] {
  const out: EvalCase[] = [];
  const ids = new Set<string>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()) {
    const lines = readFileSync(path.join(dir, file), "utf8").split("\n");
    lines.forEach((line, i) => {
      if (line.trim() === "") return;
      const parsed = caseSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.message}`);
      if (ids.has(parsed.data.id)) throw new Error(`${file}:${i + 1}: duplicate case id ${parsed.data.id}`);
      ids.add(parsed.data.id);
      out.push(parsed.data);
    });
  }
  return out;
}

export type Runner = (
  records: DetectRecord[],
  opts: { only: Defect[]; teacher: (key: number) => TeacherResult | undefined },
) => Iterable<{ key: number; flags: Flag[] }>;

export interface CaseResult {
  case: EvalCase;
  outcome: "TP" | "FN" | "FP" | "TN";
  flags: Flag[];
}

export interface Metrics {
  pos: number;
  neg: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** tp / (tp + fp); 1 when nothing was flagged. */
  precision: number;
  /** tp / (tp + fn); 1 when there are no positive cases. */
  recall: number;
}

export interface Evaluation {
  results: CaseResult[];
  /** defect → language → metrics. */
  byLang: Map<Defect, Map<CaseLang, Metrics>>;
  overall: Map<Defect, Metrics>;
}

function matchesTarget(f: Flag, c: EvalCase): boolean {
  if (c.target === undefined) return true;
  if (f.target !== c.target) return false;
  return c.target !== "negative" || c.negativeIndex === undefined || f.negativeIndex === c.negativeIndex;
}

function judge(c: EvalCase, flags: Flag[]): CaseResult["outcome"] {
  const hit = flags.some((f) => f.defect === c.defect && matchesTarget(f, c));
  if (c.expect) return hit ? "TP" : "FN";
  return hit ? "FP" : "TN";
}

const emptyMetrics = (): Metrics => ({ pos: 0, neg: 0, tp: 0, fp: 0, fn: 0, tn: 0, precision: 1, recall: 1 });

function add(m: Metrics, outcome: CaseResult["outcome"]): void {
  if (outcome === "TP") m.tp++;
  else if (outcome === "FN") m.fn++;
  else if (outcome === "FP") m.fp++;
  else m.tn++;
  m.pos = m.tp + m.fn;
  m.neg = m.fp + m.tn;
  m.precision = m.tp + m.fp === 0 ? 1 : m.tp / (m.tp + m.fp);
  m.recall = m.pos === 0 ? 1 : m.tp / m.pos;
}

/** Runs every group of cases through `run` and scores the outcomes. */
export function evaluate(cases: EvalCase[], run: Runner): Evaluation {
  const groups = new Map<string, EvalCase[]>();
  for (const c of cases) {
    const key = c.group !== undefined ? `g:${c.group}` : `c:${c.id}`;
    const list = groups.get(key);
    if (list) list.push(c);
    else groups.set(key, [c]);
  }
  const results: CaseResult[] = [];
  for (const list of groups.values()) {
    const only = [...new Set(list.map((c) => c.defect))];
    const records = list.map((c) => c.record as DetectRecord);
    const teacher = (key: number) => list[key]?.teacher as TeacherResult | undefined;
    const flagsByKey = new Map<number, Flag[]>();
    for (const r of run(records, { only, teacher })) flagsByKey.set(r.key, r.flags);
    list.forEach((c, key) => {
      const flags = flagsByKey.get(key) ?? [];
      results.push({ case: c, outcome: judge(c, flags), flags });
    });
  }
  const byLang = new Map<Defect, Map<CaseLang, Metrics>>();
  const overall = new Map<Defect, Metrics>();
  for (const r of results) {
    const d = r.case.defect;
    let langs = byLang.get(d);
    if (!langs) {
      langs = new Map();
      byLang.set(d, langs);
    }
    let m = langs.get(r.case.lang);
    if (!m) {
      m = emptyMetrics();
      langs.set(r.case.lang, m);
    }
    add(m, r.outcome);
    let o = overall.get(d);
    if (!o) {
      o = emptyMetrics();
      overall.set(d, o);
    }
    add(o, r.outcome);
  }
  return { results, byLang, overall };
}

const pct = (x: number) => x.toFixed(3);

/** The evaluation as a plain-text table, defects in registry order, then the failing case ids. */
export function formatEvaluation(ev: Evaluation): string {
  const rows: string[][] = [["defect", "lang", "n+", "n-", "TP", "FP", "FN", "precision", "recall"]];
  for (const d of DEFECTS) {
    const langs = ev.byLang.get(d);
    if (!langs) continue;
    for (const lang of CASE_LANGS) {
      const m = langs.get(lang);
      if (!m) continue;
      rows.push([
        d,
        lang,
        `${m.pos}`,
        `${m.neg}`,
        `${m.tp}`,
        `${m.fp}`,
        `${m.fn}`,
        pct(m.precision),
        pct(m.recall),
      ]);
    }
    const o = ev.overall.get(d) as Metrics;
    rows.push([
      d,
      "ALL",
      `${o.pos}`,
      `${o.neg}`,
      `${o.tp}`,
      `${o.fp}`,
      `${o.fn}`,
      pct(o.precision),
      pct(o.recall),
    ]);
  }
  const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  const lines = rows.map((r) =>
    r.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("  "),
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const failing = ev.results.filter((r) => r.outcome === "FP" || r.outcome === "FN");
  lines.push("", failing.length === 0 ? "no failing cases" : `failing cases (${failing.length}):`);
  for (const r of failing)
    lines.push(`  ${r.outcome} ${r.case.id}${r.case.note ? `  (${r.case.note})` : ""}`);
  return lines.join("\n");
}
