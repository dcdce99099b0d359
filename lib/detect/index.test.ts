import { describe, expect, it } from "vitest";
import { rec } from "./detect-test-utils";
import {
  DETECTOR_BY_DEFECT,
  DETECTORS,
  detectOne,
  detectorOptionsSchema,
  resolveOptions,
  runDetectors,
} from "./index";
import { DEFECTS, type DetectRecord, flagSchema } from "./types";

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");

describe("detector registry", () => {
  it("has one detector per defect, in a stable order, each with defaults", () => {
    expect(DETECTORS.map((d) => d.defect)).toEqual([...DEFECTS]);
    for (const d of DETECTORS) {
      expect(d.version).toBeGreaterThanOrEqual(1);
      expect(DETECTOR_BY_DEFECT.get(d.defect)).toBe(d);
      expect(() => d.optionsSchema.parse({})).not.toThrow();
    }
  });

  it("resolves partial options to full defaults, and rejects invalid values", () => {
    const full = resolveOptions({ query_leakage: { minCoverage: 0.8 } });
    expect((full.query_leakage as { minCoverage: number }).minCoverage).toBe(0.8);
    expect((full.self_explanation as { threshold: number }).threshold).toBe(0.8);
    expect(resolveOptions()).toEqual(detectorOptionsSchema.parse({}));
    expect(() => resolveOptions({ query_leakage: { minCoverage: 2 } })).toThrow();
  });
});

describe("runDetectors", () => {
  const records: DetectRecord[] = Array.from({ length: 35 }, (_, i) =>
    rec({ task: "t", query: `query number ${i}`, positive: words(100 + (i % 5)) }),
  );
  records[3] = rec({
    task: "t",
    query: "q",
    positive: `${words(60)}. This passage is relevant because it answers the query.`,
  });
  records[7] = rec({ task: "t", query: "q", positive: words(3) });

  it("yields every record's flags in input order, valid against the flag schema", () => {
    const out = [...runDetectors(records)];
    expect(out.map((r) => r.key)).toEqual(records.map((_, i) => i));
    for (const r of out) for (const f of r.flags) expect(flagSchema.parse(f)).toEqual(f);
    expect(out[3]?.flags.map((f) => f.defect)).toContain("self_explanation");
    // The length outlier needs the collection pass over all 35 records.
    expect(out[7]?.flags.map((f) => f.defect)).toContain("length_mismatch");
  });

  it("iterates a factory twice (collection, then detection) instead of holding the records", () => {
    let calls = 0;
    const factory = function* () {
      calls++;
      yield* records;
    };
    const out = [...runDetectors(factory, { only: ["length_mismatch"] })];
    expect(calls).toBe(2);
    expect(out).toHaveLength(records.length);
    expect(out.flatMap((r) => r.flags).every((f) => f.defect === "length_mismatch")).toBe(true);
  });

  it("runs only the requested detectors, and passes the teacher result by key", () => {
    const out = [...runDetectors(records, { only: ["self_explanation"], teacher: () => undefined })];
    expect(out.flatMap((r) => r.flags).map((f) => f.defect)).toEqual(["self_explanation"]);
  });

  it("detectOne: one record, collectors see just it", () => {
    const flags = detectOne(records[3] as DetectRecord, { only: ["self_explanation", "length_mismatch"] });
    expect(flags.map((f) => f.defect)).toEqual(["self_explanation"]);
  });
});
