import { describe, expect, it } from "vitest";
import { rec, runOne } from "./dup-test-utils";
import { negativeRank, positiveRank } from "./rank";
import type { TeacherResult } from "./types";

const teacher = (
  positiveRank: number | undefined,
  negativeRanks: (number | undefined)[],
  extra: Partial<TeacherResult> = {},
): TeacherResult => ({
  teacher: "bm25",
  negatives: negativeRanks.map(() => 1),
  positiveRank,
  negativeRanks,
  ...extra,
});
const record = (n: number) =>
  rec(
    "q",
    "positive text",
    Array.from({ length: n }, (_, i) => `negative ${i}`),
  );

describe("negative_rank (k..m = 30..100)", () => {
  it("flags ranks outside k..m with the rank in the note; k and m themselves are kept", () => {
    const ranks = [1, 29, 30, 100, 101, 412, undefined, 1000];
    const flags = runOne(negativeRank, [record(ranks.length)], {}, () => teacher(1, ranks))[0]!;
    expect(flags.map((f) => [f.negativeIndex, f.evidence[0]!.note, f.score])).toEqual([
      [0, "bm25: too close: rank 1 < 30", 0.3],
      [1, "bm25: too close: rank 29 < 30", 0.01],
      [4, "bm25: too easy: rank 101 > 100", 0.01],
      [5, "bm25: too easy: rank 412 > 100", 0.184],
      [7, "bm25: too easy: rank 1000 > 100", 0.3],
    ]);
    for (const f of flags) expect(f.score).toBeLessThanOrEqual(0.3);
  });
  it("says '> depth' for ranks beyond the teacher's rank depth", () => {
    const flags = runOne(negativeRank, [record(1)], {}, () => teacher(1, [1001], { rankDepth: 1000 }))[0]!;
    expect(flags[0]!.evidence[0]!.note).toBe("bm25: too easy: rank > 1000 > 100");
    const p = runOne(positiveRank, [record(1)], {}, () => teacher(1001, [50], { rankDepth: 1000 }))[0]!;
    expect(p[0]!.evidence[0]!.note).toBe("bm25: positive ranks > 1000, not in the top 10");
  });
  it("follows options; no upper limit with maxRank null", () => {
    const flags = runOne(negativeRank, [record(3)], { minRank: 2, maxRank: null }, () =>
      teacher(1, [1, 2, 5000]),
    )[0]!;
    expect(flags.map((f) => f.negativeIndex)).toEqual([0]);
    expect(() => negativeRank.optionsSchema.parse({ minRank: 50, maxRank: 10 })).toThrow();
  });
  it("skips within-record ranks and records without ranks", () => {
    expect(runOne(negativeRank, [record(1)], {}, () => teacher(1, [1], { rankScope: "record" }))[0]).toEqual(
      [],
    );
    expect(runOne(negativeRank, [record(1)], {}, () => ({ teacher: "x", negatives: [1] }))[0]).toEqual([]);
    expect(runOne(negativeRank, [record(1)])[0]).toEqual([]);
  });
});

describe("positive_rank (top n = 10)", () => {
  it("flags a positive below the top n", () => {
    const at = (rank: number, options = {}) =>
      runOne(positiveRank, [record(1)], options, () => teacher(rank, [50]))[0]!;
    expect(at(10)).toEqual([]);
    const f = at(11)[0]!;
    expect(f).toMatchObject({ defect: "positive_rank", target: "positive", detector: "positive_rank@1" });
    expect(f.evidence[0]).toEqual({
      field: "positive",
      start: 0,
      end: 13,
      note: "bm25: positive ranks 11, not in the top 10",
    });
    expect(f.score).toBeCloseTo(0.156, 3);
    expect(at(100)[0]!.score).toBe(0.3);
    expect(at(3, { topN: 2 })).toHaveLength(1);
    expect(runOne(positiveRank, [record(1)], {}, () => teacher(50, [1], { rankScope: "record" }))[0]).toEqual(
      [],
    );
  });
});
