import { describe, expect, it } from "vitest";
import type { DetectRecord } from "@/lib/detect/types";
import { Bm25Builder, bm25Result, bm25Teacher, bm25Terms } from "./bm25";
import { arraySource, scoreAll } from "./types";

const rec = (query: string, positive: string, negatives: string[], extra: string[] = []): DetectRecord => ({
  query,
  positive: { text: positive },
  extraPositives: extra.map((text) => ({ text })),
  negatives: negatives.map((text) => ({ text })),
  taskFamily: "short-long",
  params: {},
});

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Zipf-ish random text over a vocabulary of `v` words. */
function randomText(r: () => number, words: number, v: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(`w${Math.floor(v ** r() - 1)}`);
  return out.join(" ");
}

describe("bm25Terms", () => {
  it("lower-cased words for spaced scripts", () => {
    expect(bm25Terms("The Store opens at 9am, doesn't it?")).toEqual([
      "the",
      "store",
      "opens",
      "at",
      "9am",
      "doesn't",
      "it",
    ]);
  });
  it("character bigrams within CJK runs, broken at punctuation; lone characters as unigrams", () => {
    expect(bm25Terms("北京大学，在")).toEqual(["北京", "京大", "大学", "在"]);
    expect(bm25Terms("東京タワーは1958年")).toEqual(["東京", "京タ", "タワ", "ワー", "ーは", "1958", "年"]);
  });
  it("Korean: each word and its character bigrams", () => {
    expect(bm25Terms("서울에서 개")).toEqual(["서울에서", "서울", "울에", "에서", "개"]);
  });
});

describe("Bm25Index ranks", () => {
  it("match a brute-force ranking over the whole pool (MaxScore pruning is exact)", () => {
    const r = rng(42);
    const records: DetectRecord[] = [];
    for (let i = 0; i < 600; i++) {
      records.push(
        rec(
          randomText(r, 2 + Math.floor(r() * 8), 400),
          randomText(r, 30 + Math.floor(r() * 60), 400),
          Array.from({ length: 1 + Math.floor(r() * 4) }, () =>
            randomText(r, 20 + Math.floor(r() * 80), 400),
          ),
          r() < 0.2 ? [randomText(r, 40, 400)] : [],
        ),
      );
    }
    // some exact repeats across records (deduplicated in the pool)
    records.push(rec("w1 w2 w3", records[0]!.positive.text, [records[1]!.negatives[0]!.text]));
    const b = new Bm25Builder();
    for (const x of records) for (const t of [x.positive, ...x.extraPositives, ...x.negatives]) b.add(t.text);
    const index = b.finish();
    for (const x of records) {
      const terms = index.queryTerms(x.query);
      const all: number[] = [];
      for (let d = 0; d < index.N; d++) all.push(index.scoreDoc(terms, d));
      const got = bm25Result(index, x, "bm25", Number.POSITIVE_INFINITY);
      const capped = bm25Result(index, x, "bm25", 40);
      const shallow = bm25Result(index, x, "bm25", 3);
      const tol = (s: number) => 1e-9 * Math.max(1, Math.abs(s));
      const brute = (s: number) => 1 + all.filter((y) => y > s + tol(s)).length;
      const posDocs = new Set([x.positive, ...x.extraPositives].map((p) => index.docId(p.text)));
      const pos = got.positive!;
      const otherPositivesAbove = [...posDocs].filter(
        (d) => d !== index.docId(x.positive.text) && all[d!]! > pos + tol(pos),
      ).length;
      expect(got.positiveRank).toBe(brute(pos) - otherPositivesAbove);
      expect(got.rankDepth).toBeUndefined();
      expect(capped.rankDepth).toBe(40);
      expect(capped.positiveRank).toBe(Math.min(41, got.positiveRank!));
      expect(capped.negativeRanks).toEqual(got.negativeRanks!.map((r) => Math.min(41, r!)));
      expect(shallow.positiveRank).toBe(Math.min(4, got.positiveRank!));
      expect(shallow.negativeRanks).toEqual(got.negativeRanks!.map((r) => Math.min(4, r!)));
      got.negatives.forEach((s, i) => {
        expect(s).toBeCloseTo(all[index.docId(x.negatives[i]!.text)!]!, 9);
        expect(got.negativeRanks![i]).toBe(brute(s!));
      });
    }
  });

  it("scores the answering passage first and ranks an identical negative with the positive", async () => {
    const records = [
      rec("when does the bakery open", "The bakery opens at 7 in the morning on weekdays.", [
        "The museum opens at 10.",
        "The bakery opens at 7 in the morning on weekdays.",
      ]),
      rec("capital of France", "Paris is the capital of France.", ["Berlin is the capital of Germany."]),
    ];
    const results = await scoreAll(bm25Teacher(), arraySource(records));
    const a = results.get(0)!;
    expect(a.teacher).toBe("bm25");
    expect(a.positiveRank).toBe(1);
    expect(a.negatives[1]).toBeCloseTo(a.positive!, 12);
    expect(a.negativeRanks![1]).toBe(1);
    expect(a.negatives[0]!).toBeLessThan(a.positive!);
    expect(results.get(1)!.positiveRank).toBe(1);
  });

  it("handles empty queries and queries with unknown terms", () => {
    const b = new Bm25Builder();
    b.add("alpha beta");
    b.add("gamma");
    const index = b.finish();
    const res = bm25Result(index, rec("zzz", "alpha beta", ["gamma"]));
    expect(res.positive).toBe(0);
    expect(res.positiveRank).toBe(1);
    expect(res.negativeRanks).toEqual([1]);
  });

  it("reports progress and reads the source twice", async () => {
    let passes = 0;
    const records = Array.from({ length: 2500 }, (_, i) => rec(`q${i}`, `p${i} text`, [`n${i} text`]));
    const phases = new Set<string>();
    const results = await scoreAll(
      bm25Teacher(),
      () => {
        passes++;
        return arraySource(records)();
      },
      { onProgress: (p) => phases.add(p.phase) },
    );
    expect(passes).toBe(2);
    expect(results.size).toBe(2500);
    expect([...phases].sort()).toEqual(["index", "score"]);
    expect(results.get(7)!.positiveRank).toBe(1);
  });
});
