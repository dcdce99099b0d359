import { describe, expect, it } from "vitest";
import { rec, runOne } from "./dup-test-utils";
import { falseNegative, falseNegativeRules, falseNegativeScore } from "./false-negative";
import type { TeacherResult } from "./types";

const o = (x: Partial<Parameters<typeof falseNegativeRules>[2]> = {}) => falseNegative.optionsSchema.parse(x);
const t = (positive: number | undefined, negatives: (number | undefined)[]): TeacherResult => ({
  teacher: "t",
  positive,
  negatives,
});
const run = (teacher: TeacherResult | undefined, options = {}, n = teacher?.negatives.length ?? 1) =>
  runOne(
    falseNegative,
    [
      rec(
        "q",
        "p",
        Array.from({ length: n }, (_, i) => `negative ${i}`),
      ),
    ],
    options,
    () => teacher,
  )[0]!;

describe("false_negative: relative margin (default 0.05)", () => {
  it("flags neg > 0.95·pos, not at exactly 0.95·pos (boundary)", () => {
    expect(falseNegativeRules(1, 0.95, o())).toEqual([]);
    expect(falseNegativeRules(1, 0.9500001, o())).toHaveLength(1);
    expect(falseNegativeRules(0.8, 0.76, o())).toEqual([]); // 0.76 = 0.95 × 0.8
    expect(falseNegativeRules(0.8, 0.7601, o())).toHaveLength(1);
    expect(falseNegativeRules(20, 18.9, o())).toEqual([]); // BM25 scale
    expect(falseNegativeRules(20, 19.1, o())).toHaveLength(1);
  });
  it("takes the margin on |pos| for scores ≤ 0 (logits)", () => {
    // pos −2: threshold −2.1
    expect(falseNegativeRules(-2, -2.1, o())).toEqual([]);
    expect(falseNegativeRules(-2, -2.09, o())).toHaveLength(1);
    expect(falseNegativeRules(-2, -1, o())).toHaveLength(1);
    // pos 0: any negative above 0
    expect(falseNegativeRules(0, 0, o())).toEqual([]);
    expect(falseNegativeRules(0, 1e-9, o())).toHaveLength(1);
  });
  it("scores 0.5 at the threshold, 0.75 at neg = pos, 1 from pos + margin on", () => {
    expect(falseNegativeScore(1, 0.95, o())).toBe(0.5);
    expect(falseNegativeScore(1, 1, o())).toBe(0.75);
    expect(falseNegativeScore(1, 1.05, o())).toBe(1);
    expect(falseNegativeScore(1, 2, o())).toBe(1);
    expect(falseNegativeScore(-2, -2, o())).toBe(0.75);
    const s = [0.96, 0.98, 1, 1.02].map((x) => falseNegativeScore(1, x, o()));
    expect([...s].sort((a, b) => a - b)).toEqual(s);
  });
});

describe("false_negative: absolute margin and max score (off by default)", () => {
  it("absolute margin: neg > pos − margin", () => {
    const opts = o({ relativeMargin: null, absoluteMargin: 0.1 });
    expect(falseNegativeRules(0.8, 0.7, opts)).toEqual([]);
    expect(falseNegativeRules(0.8, 0.71, opts)).toEqual(["negative 0.710 > positive 0.800 − 0.1"]);
    expect(falseNegativeRules(-3, -3.05, opts)).toHaveLength(1);
  });
  it("max score: neg > maxScore whatever the positive", () => {
    const opts = o({ relativeMargin: null, maxScore: 0.9 });
    expect(falseNegativeRules(0.99, 0.9, opts)).toEqual([]);
    expect(falseNegativeRules(0.99, 0.91, opts)).toEqual(["negative 0.910 > max score 0.9"]);
  });
  it("all rules off: nothing", () => {
    expect(falseNegativeRules(1, 2, o({ relativeMargin: null }))).toEqual([]);
  });
});

describe("false_negative: per-teacher margins", () => {
  it("BM25 scores get a 15% margin by default; other teachers the relative margin", () => {
    expect(falseNegativeRules(10, 8.6, o(), "bm25")).toEqual([
      "negative 8.60 vs positive 10.00 (86% of it): within the 15% margin",
    ]);
    expect(falseNegativeRules(10, 8.5, o(), "bm25")).toEqual([]);
    expect(falseNegativeRules(10, 8.6, o(), "http:bge-m3")).toEqual([]);
    expect(falseNegativeRules(10, 8.6, o({ teacherMargins: {} }), "bm25")).toEqual([]);
    expect(falseNegativeRules(10, 9.9, o({ relativeMargin: null }), "bm25")).toEqual([]);
    expect(falseNegativeScore(10, 8.5, o(), "bm25")).toBe(0.5);
  });
});

describe("false_negative detector", () => {
  it("flags each negative above the threshold with the teacher's numbers", () => {
    const flags = run(t(0.8, [0.5, 0.79, undefined, 0.9]));
    expect(flags.map((f) => [f.negativeIndex, f.score])).toEqual([
      [1, 0.688],
      [3, 1],
    ]);
    expect(flags[0]).toMatchObject({
      defect: "false_negative",
      target: "negative",
      detector: "false_negative@1",
    });
    expect(flags[0]!.evidence[0]).toEqual({
      field: "negative",
      negativeIndex: 1,
      start: 0,
      end: "negative 1".length,
      note: "t: negative 0.790 vs positive 0.800 (98.8% of it): within the 5% margin",
    });
  });
  it("needs a teacher and a positive score", () => {
    expect(run(undefined, {}, 2)).toEqual([]);
    expect(run(t(undefined, [0.9]))).toEqual([]);
    expect(run(t(Number.NaN, [0.9]))).toEqual([]);
  });
  it("validates options", () => {
    expect(() => falseNegative.optionsSchema.parse({ relativeMargin: 2 })).toThrow();
    expect(o()).toEqual({
      relativeMargin: 0.05,
      teacherMargins: { bm25: 0.15 },
      absoluteMargin: null,
      maxScore: null,
    });
  });
});
