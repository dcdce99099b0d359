import { describe, expect, it } from "vitest";
import { realRecords, rec, runOne } from "./dup-test-utils";
import { duplicateNegative } from "./duplicate-negative";

describe("duplicate_negative on real files", () => {
  it("zh_t2ranking_100: a negative identical to a positive in exactly lines 10, 19, 47, 52, 82, 83", async () => {
    const records = await realRecords("zh_t2ranking_100.jsonl");
    expect(records).toHaveLength(100);
    const flags = runOne(duplicateNegative, records);
    const positiveCopies = records.flatMap((r, i) =>
      (flags[i] ?? [])
        .filter((f) => /identical to (the positive|extra positive)/.test(f.evidence[0]!.note))
        .map((f) => ({ line: r.line, neg: f.negativeIndex, note: f.evidence[0]!.note, score: f.score })),
    );
    expect(positiveCopies).toEqual([
      { line: 10, neg: 2, note: "identical to extra positive 1", score: 1 },
      { line: 19, neg: 0, note: "identical to extra positive 4", score: 1 },
      { line: 47, neg: 0, note: "identical to extra positive 4", score: 1 },
      { line: 52, neg: 0, note: "identical to extra positive 3", score: 1 },
      { line: 82, neg: 4, note: "identical to extra positive 3", score: 1 },
      { line: 83, neg: 4, note: "identical to extra positive 1", score: 1 },
    ]);
    // the evidence is the whole negative, which is the repeated text
    const r10 = records[9]!;
    const f10 = flags[9]!.find((f) => f.negativeIndex === 2)!;
    const e = f10.evidence[0]!;
    expect(r10.negatives[2]!.text.slice(e.start, e.end)).toBe(r10.extraPositives[0]!.text.trim());
    // no other kind of duplicate in this file either
    expect(flags.flat()).toHaveLength(6);
  });

  it("flagemb_nq_scored line 1: the two exact repeats inside its 100 negatives, and near-identical windows of one article", async () => {
    const records = await realRecords("flagemb_nq_scored.jsonl");
    const flags = runOne(duplicateNegative, records);
    const line1 = flags[0]!;
    const exact = line1.filter((f) => f.score === 1);
    expect(exact.map((f) => [f.negativeIndex, f.evidence[0]!.note])).toEqual([
      [14, "identical to negative 14"],
      [38, "identical to negative 38"],
    ]);
    expect(records[0]!.negatives[14]!.text).toBe(records[0]!.negatives[13]!.text);
    expect(records[0]!.negatives[38]!.text).toBe(records[0]!.negatives[37]!.text);
    // The rest are overlapping windows of the same Wikipedia article (≥ 90% of words shared),
    // e.g. negative 29 is negative 8 without an "<onlyinclude></onlyinclude>" tag.
    const near = line1.filter((f) => f.score < 1);
    expect(near.map((f) => f.negativeIndex)).toEqual([28, 69, 80, 88]);
    for (const f of near)
      expect(f.evidence[0]!.note).toMatch(/^near-identical to negative \d+ \(9\d% of words shared/);
    expect(records[0]!.negatives[28]!.text).toBe(
      `${records[0]!.negatives[7]!.text.replace(" <onlyinclude></onlyinclude>", "")} slot.`,
    );
  });

  it("finds no duplicate negatives in the MS MARCO and NLI samples", async () => {
    for (const name of [
      "flagemb_msmarco_scored.jsonl",
      "flagemb_nli_1neg.jsonl",
      "flagemb_toy_finetune.jsonl",
    ]) {
      expect(runOne(duplicateNegative, await realRecords(name)).flat()).toEqual([]);
    }
  });
});

describe("duplicate_negative rules", () => {
  const pos =
    "The city library reopens on the first Monday in March after two years of renovation. It now has a reading room with forty seats and a children's section on the ground floor.";
  it("(a) flags a copy of the positive with spacing, case and punctuation noise, with both spans", () => {
    const neg = `  ${pos.toUpperCase().replace(/\./g, "!").replace(/ /g, "   ")}`;
    const [flags] = runOne(duplicateNegative, [
      rec("when does the library reopen", pos, ["Unrelated text about bees.", neg]),
    ]);
    expect(flags).toHaveLength(1);
    const f = flags![0]!;
    expect(f).toMatchObject({
      defect: "duplicate_negative",
      target: "negative",
      negativeIndex: 1,
      score: 1,
      detector: "duplicate_negative@1",
    });
    expect(f.evidence[0]).toMatchObject({
      field: "negative",
      negativeIndex: 1,
      start: 2,
      end: neg.length - 1,
      note: "identical to the positive",
    });
    expect(f.evidence[1]).toMatchObject({
      field: "positive",
      start: 0,
      end: pos.length - 1,
      note: "repeated by negative 2",
    });
  });
  it("(a) flags a near copy with a dropped word; not a counterfactual", () => {
    const neg = pos.replace("two years of ", "years of ");
    const [flags] = runOne(duplicateNegative, [rec("q", pos, [neg])]);
    expect(flags![0]!.score).toBeGreaterThan(0.95);
    expect(flags![0]!.evidence[0]!.note).toMatch(/^near-identical to the positive \(98% of words shared/);
  });
  it.each([
    [
      "a number",
      pos.replace("forty", "40").replace("first Monday", "second Monday").replace("two years", "3 years"),
    ],
    ["a number", pos.replace("forty seats", "fifty seats")],
    ["a name", pos.replace("March", "April")],
    ["a negation", pos.replace("It now has", "It no longer has")],
  ])("(a) leaves a counterfactual alone: %s changed", (_kind, neg) => {
    expect(runOne(duplicateNegative, [rec("q", pos, [neg])])[0]).toEqual([]);
  });
  it("(a) checks extra positives; (b) flags the later of two equal negatives", () => {
    const other =
      "Bees live in colonies of up to fifty thousand animals, with a single queen laying the eggs.";
    const [flags] = runOne(duplicateNegative, [
      rec("q", "The positive passage is here.", [other, pos, `${other} `], [pos]),
    ]);
    expect(flags!.map((f) => [f.negativeIndex, f.evidence[0]!.note])).toEqual([
      [1, "identical to extra positive 1"],
      [2, "identical to negative 1"],
    ]);
  });
  it("(c) flags a negative reused in K = 3 records, not in 2, with the count and the first record", () => {
    const generic = "This passage talks about something else entirely and answers no question at all, sadly.";
    const records = [
      rec("q1", "p1 text one", [generic, "n1 a"]),
      rec("q2", "p2 text two", ["n2 a", generic.toLowerCase()]),
      rec("q3", "p3 text three", ["n3 a"]),
      rec("q4", "p4 text four", [`${generic} `]),
      rec("q5", "p5 text five", ["Another generic negative used twice in the whole data set only."]),
      rec("q6", "p6 text six", ["Another generic negative used twice in the whole data set only."]),
    ];
    const flags = runOne(duplicateNegative, records);
    expect(flags.map((f) => f.map((x) => `${x.negativeIndex}:${x.evidence[0]!.note}`))).toEqual([
      ["0:also in 2 other records"],
      ["1:also in 2 other records; first in record #0"],
      [],
      ["0:also in 2 other records; first in record #0"],
      [],
      [],
    ]);
    expect(flags[0]![0]!.score).toBe(0.6);
    expect(runOne(duplicateNegative, records, { reuseMinRecords: 2 })[4]).toHaveLength(1);
    expect(runOne(duplicateNegative, records, { reuse: false }).flat()).toEqual([]);
  });
  it("(c) counts near-identical copies through LSH", () => {
    const generic =
      "Our customer service team is available around the clock to help you with any question about your order, delivery or returns, by phone, chat or email.";
    const records = [0, 1, 2].map((i) =>
      rec(`q${i}`, `p${i}`, [
        i === 1
          ? generic.replace("around the clock", "around clock")
          : i === 2
            ? generic.replace(" or email", "")
            : generic,
      ]),
    );
    expect(runOne(duplicateNegative, records).map((f) => f.length)).toEqual([1, 1, 1]);
    expect(runOne(duplicateNegative, records, { reuseNear: false }).map((f) => f.length)).toEqual([0, 0, 0]);
  });
  it("(c) skips label-like families and short negatives", () => {
    const records = [0, 1, 2].map((i) =>
      rec(`text ${i}`, "positive", ["negative"], [], { taskFamily: "long-short" }),
    );
    expect(runOne(duplicateNegative, records).flat()).toEqual([]);
  });
});
