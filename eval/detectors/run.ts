/**
 * Evaluates the detectors on eval/detectors/cases/*.jsonl and prints precision/recall per defect
 * and language, then the failing case ids.
 *
 *   npx tsx eval/detectors/run.ts [--defect self_explanation] [--verbose]
 *
 * Exits with 1 when a target of eval/detectors/targets.ts is missed.
 */
import { parseArgs } from "node:util";
import { runDetectors } from "@/lib/detect";
import type { Defect } from "@/lib/detect/types";
import { evaluate, formatEvaluation, loadCases } from "./evaluate";
import { missedTargets, TARGETS } from "./targets";

const { values } = parseArgs({
  options: { defect: { type: "string", multiple: true }, verbose: { type: "boolean", default: false } },
});
let cases = loadCases();
if (values.defect?.length) cases = cases.filter((c) => values.defect?.includes(c.defect));
const t0 = performance.now();
const ev = evaluate(cases, (records, opts) => runDetectors(records, opts));
const ms = performance.now() - t0;
console.log(formatEvaluation(ev));
if (values.verbose) {
  for (const r of ev.results) {
    if (r.outcome !== "FP" && r.outcome !== "FN") continue;
    console.log(`\n${r.outcome} ${r.case.id}`);
    for (const f of r.flags.filter((f) => f.defect === (r.case.defect as Defect))) {
      console.log(
        `  flag ${f.target}${f.negativeIndex !== undefined ? `#${f.negativeIndex}` : ""} ${f.score}: ${f.evidence.map((e) => e.note).join(" | ")}`,
      );
    }
  }
}
console.log(`\n${cases.length} cases in ${ms.toFixed(0)} ms`);
const evaluated = new Set(cases.map((c) => c.defect));
const missed = missedTargets(
  ev,
  Object.fromEntries(Object.entries(TARGETS).filter(([d]) => evaluated.has(d as Defect))),
);
if (missed.length > 0) {
  console.log(`\ntargets missed:\n${missed.map((m) => `  ${m}`).join("\n")}`);
  process.exitCode = 1;
}
