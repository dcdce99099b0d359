import { describe, expect, it } from "vitest";
import { runDetectors } from "@/lib/detect";
import { evaluate, loadCases } from "./evaluate";
import { missedTargets, TARGETS } from "./targets";

describe("detector evaluation (eval/detectors/cases)", () => {
  const ev = evaluate(loadCases(), (records, opts) => runDetectors(records, opts));

  for (const defect of Object.keys(TARGETS)) {
    it(`${defect} meets its precision/recall targets in every language`, () => {
      expect(ev.byLang.has(defect as never)).toBe(true);
      expect(missedTargets(ev, { [defect]: TARGETS[defect as keyof typeof TARGETS] })).toEqual([]);
    });
  }
});
