import { describe, expect, it } from "vitest";
import type { DetectRecord } from "@/lib/detect/types";
import { createTeacher } from "./index";
import { givenScoresResult } from "./scores";
import { arraySource, scoreAll } from "./types";

const rec = (pos: number | undefined, negs: (number | undefined)[], extra: (number | undefined)[] = []) =>
  ({
    query: "q",
    positive: { text: "p", score: pos },
    extraPositives: extra.map((score, i) => ({ text: `x${i}`, score })),
    negatives: negs.map((score, i) => ({ text: `n${i}`, score })),
    taskFamily: "short-long",
    params: {},
  }) as DetectRecord;

describe("scores teacher", () => {
  it("takes the file's scores and ranks within the record", () => {
    const r = givenScoresResult(rec(0.9, [0.5, 0.95, 0.9, undefined], [0.99]));
    expect(r).toEqual({
      teacher: "scores",
      positive: 0.9,
      negatives: [0.5, 0.95, 0.9, undefined],
      positiveRank: 2, // only the 0.95 negative is above; ties do not push down; extra positives not counted
      negativeRanks: [5, 2, 3, undefined], // among positives (0.9, 0.99) and negatives
      rankScope: "record",
    });
  });
  it("gives nothing when the file has no scores", () => {
    expect(givenScoresResult(rec(undefined, [undefined]))).toEqual({
      teacher: "scores",
      negatives: [undefined],
      rankScope: "record",
    });
  });
  it("runs through createTeacher", async () => {
    const out = await scoreAll(createTeacher({ kind: "scores" }), arraySource([rec(1, [2])]));
    expect(out.get(0)?.negativeRanks).toEqual([1]);
    expect(out.get(0)?.positiveRank).toBe(2);
    const none = await scoreAll(createTeacher({ kind: "none" }), arraySource([rec(1, [2])]));
    expect(none.size).toBe(0);
  });
});
