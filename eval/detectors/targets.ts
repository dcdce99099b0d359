import type { Defect } from "@/lib/detect/types";
import type { Evaluation } from "./evaluate";

/** Minimum precision and recall per defect, in every language that has cases. One line per defect. */
export const TARGETS: Partial<Record<Defect, { precision: number; recall: number }>> = {
  self_explanation: { precision: 0.95, recall: 0.95 },
  query_leakage: { precision: 0.95, recall: 0.95 },
  length_mismatch: { precision: 0.95, recall: 0.95 },
  duplicate_negative: { precision: 0.95, recall: 0.95 },
  false_negative: { precision: 0.85, recall: 0.7 }, // with the BM25 teacher (scores stored in the cases)
};

/** "defect/lang: precision 0.912 < 0.95" for every target missed. */
export function missedTargets(ev: Evaluation, targets = TARGETS): string[] {
  const out: string[] = [];
  for (const [defect, t] of Object.entries(targets) as [Defect, { precision: number; recall: number }][]) {
    const langs = ev.byLang.get(defect);
    if (!langs) {
      out.push(`${defect}: no cases`);
      continue;
    }
    for (const [lang, m] of langs) {
      if (m.precision < t.precision)
        out.push(`${defect}/${lang}: precision ${m.precision.toFixed(3)} < ${t.precision}`);
      if (m.recall < t.recall) out.push(`${defect}/${lang}: recall ${m.recall.toFixed(3)} < ${t.recall}`);
    }
  }
  return out;
}
