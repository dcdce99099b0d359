/**
 * false_negative: a negative that the teacher scores about as relevant as the positive — likely an
 * answer, not a negative. Positive-aware rules as in NV-Retriever ("TopK-PercPos") and
 * sentence-transformers' `mine_hard_negatives`; a negative is flagged when ANY enabled rule fires:
 *
 * - relative margin (default 0.05): neg > pos − margin·|pos|, i.e. neg > 95% of pos for pos > 0
 *   (sentence-transformers: a negative is kept only if neg ≤ pos·(1 − relative_margin)); for the BM25
 *   teacher 0.15 by default (`teacherMargins`): lexical scores undervalue paraphrases;
 * - absolute margin (off by default): neg > pos − margin;
 * - max score (off by default): neg > maxScore, whatever the positive.
 *
 * Score scales. Cosine similarities and BM25 scores are ≥ 0 in practice and the relative margin reads
 * as "within 5% of the positive". For scales that can be ≤ 0 (reranker logits, centred scores) a
 * multiplicative margin has no fixed meaning, so the margin is taken on |pos|: with pos = −2 and
 * margin 0.05 the threshold is −2.1 (a negative must come within 5% of the positive's magnitude, or
 * above it); with pos = 0 any negative scoring > 0 is flagged. For logits prefer `absoluteMargin`.
 *
 * Needs `context.teacher` (scores). Without a teacher, without a positive score, or for a negative
 * without a score: no flag. Score: 0.5 at the threshold, 0.75 when neg = pos, 1 from pos + margin·|pos|
 * on (the excess measured in units of the relative margin, 0.05 when that rule is off).
 */
import { z } from "zod";
import type { Detector, Flag } from "./types";

const VERSION = 1;

export const falseNegativeOptions = z.object({
  /** Flag when neg > pos − relativeMargin·|pos| (0.05: within 5% of the positive). null: off. */
  relativeMargin: z.number().min(0).max(1).nullable().default(0.05),
  /**
   * Relative margin per teacher (by TeacherResult.teacher), replacing `relativeMargin` for that teacher.
   * BM25 sees word overlap only: a passage that answers in other words scores well below the positive
   * (on eval/detectors/cases, margin 0.05 finds half of the English false negatives, 0.15 seven in ten
   * at precision ≥ 0.83 in every language), so its default margin is wider.
   */
  teacherMargins: z.record(z.string(), z.number().min(0).max(1)).default({ bm25: 0.15 }),
  /** Flag when neg > pos − absoluteMargin. null: off. */
  absoluteMargin: z.number().min(0).nullable().default(null),
  /** Flag when neg > maxScore. null: off. */
  maxScore: z.number().nullable().default(null),
});
export type FalseNegativeOptions = z.infer<typeof falseNegativeOptions>;

const fmt = (x: number) =>
  Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(3);

/** Which rules fire for one negative score (exported for tests and bulk rules). */
/** The relative margin that applies to a teacher's scores (null: rule off). */
export function relativeMarginFor(o: FalseNegativeOptions, teacher?: string): number | null {
  if (o.relativeMargin === null) return null;
  return (teacher !== undefined ? o.teacherMargins[teacher] : undefined) ?? o.relativeMargin;
}

export function falseNegativeRules(
  pos: number,
  neg: number,
  o: FalseNegativeOptions,
  teacher?: string,
): string[] {
  const fired: string[] = [];
  const margin = relativeMarginFor(o, teacher);
  if (margin !== null && neg > pos - margin * Math.abs(pos)) {
    const pct = pos > 0 ? ` (${Math.round((neg / pos) * 1000) / 10}% of it)` : "";
    fired.push(
      `negative ${fmt(neg)} vs positive ${fmt(pos)}${pct}: within the ${Math.round(margin * 1000) / 10}% margin`,
    );
  }
  if (o.absoluteMargin !== null && neg > pos - o.absoluteMargin) {
    fired.push(`negative ${fmt(neg)} > positive ${fmt(pos)} − ${o.absoluteMargin}`);
  }
  if (o.maxScore !== null && neg > o.maxScore) fired.push(`negative ${fmt(neg)} > max score ${o.maxScore}`);
  return fired;
}

export function falseNegativeScore(
  pos: number,
  neg: number,
  o: FalseNegativeOptions,
  teacher?: string,
): number {
  const unit = (relativeMarginFor(o, teacher) || 0.05) * Math.max(Math.abs(pos), 1e-9);
  const s = 0.75 + (0.25 * (neg - pos)) / unit;
  return Math.round(Math.max(0.05, Math.min(1, s)) * 1000) / 1000;
}

export const falseNegative: Detector<FalseNegativeOptions> = {
  defect: "false_negative",
  version: VERSION,
  description:
    "A negative the teacher scores about as high as the positive (by default within 5% of it): probably " +
    "relevant, i.e. a false negative. Needs teacher scores.",
  optionsSchema: falseNegativeOptions,
  detect(record, ctx, o): Flag[] {
    const t = ctx.teacher;
    if (!t || t.positive === undefined || !Number.isFinite(t.positive)) return [];
    const pos = t.positive;
    const flags: Flag[] = [];
    record.negatives.forEach((n, i) => {
      const neg = t.negatives[i];
      if (neg === undefined || !Number.isFinite(neg)) return;
      const fired = falseNegativeRules(pos, neg, o, t.teacher);
      if (fired.length === 0) return;
      flags.push({
        defect: "false_negative",
        target: "negative",
        negativeIndex: i,
        score: falseNegativeScore(pos, neg, o, t.teacher),
        evidence: [
          {
            field: "negative",
            negativeIndex: i,
            start: 0,
            end: n.text.length,
            note: `${t.teacher}: ${fired.join("; ")}`,
          },
        ],
        detector: `false_negative@${VERSION}`,
      });
    });
    return flags;
  },
};
