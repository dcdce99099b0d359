import { describe, expect, it } from "vitest";
import { countWords as countWordsReference } from "@/lib/formats/text";
import { rec } from "./detect-test-utils";
import { runDetectors } from "./index";
import { countWords, lengthMismatch, parseLengthSpec } from "./length-mismatch";
import type { DetectRecord, Flag } from "./types";

const options = lengthMismatch.optionsSchema.parse({});
const detect = (r: DetectRecord) => lengthMismatch.detect(r, { key: 0, data: { stats: new Map() } }, options);
const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");

describe("parseLengthSpec", () => {
  it("reads the E5 placeholder values", () => {
    expect(parseLengthSpec(200)).toEqual({ min: 200, asked: "at least 200 words" });
    expect(parseLengthSpec("200")).toMatchObject({ min: 200 });
    expect(parseLengthSpec("at least 200 words")).toMatchObject({ min: 200 });
    expect(parseLengthSpec("at least 10")).toMatchObject({ min: 10 });
    expect(parseLengthSpec("less than 5 words")).toMatchObject({ max: 4 });
    expect(parseLengthSpec("less than 10")).toMatchObject({ max: 9 });
    expect(parseLengthSpec("5 to 15 words")).toMatchObject({ min: 5, max: 15 });
    expect(parseLengthSpec("5-10 words")).toMatchObject({ min: 5, max: 10 });
    expect(parseLengthSpec("a sentence or a phrase")).toBeUndefined();
    expect(parseLengthSpec(undefined)).toBeUndefined();
  });
});

describe("length_mismatch", () => {
  it("flags a positive far below 'at least N words' with the counts in the note", () => {
    const r = rec({ positive: words(61), negatives: [words(220)], params: { num_words: 200 } });
    const flags = detect(r);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ target: "positive", defect: "length_mismatch" });
    expect(flags[0]?.evidence[0]?.note).toBe("asked: at least 200 words · got: 61");
  });

  it("tolerates ordinary shortfall (above 60% of the request) and flags negatives too", () => {
    expect(detect(rec({ positive: words(150), params: { num_words: "at least 200 words" } }))).toEqual([]);
    const flags = detect(
      rec({ positive: words(210), negatives: [words(210), words(40)], params: { num_words: 200 } }),
    );
    expect(flags.map((f) => [f.target, f.negativeIndex])).toEqual([["negative", 1]]);
  });

  it("checks query_length on the query", () => {
    const flag = (q: string, ql: string) => detect(rec({ query: q, params: { query_length: ql } }));
    expect(flag(words(12), "less than 5 words")).toHaveLength(1);
    expect(flag(words(5), "less than 5 words")).toEqual([]); // one word over: within slack
    expect(flag(words(3), "at least 10 words")).toHaveLength(1);
    expect(flag(words(10), "at least 10 words")).toEqual([]);
    expect(flag(words(22), "5 to 15 words")).toHaveLength(1);
    expect(flag(words(9), "5-10 words")).toEqual([]);
  });

  it("sizes the long-short input text with num_words", () => {
    const ls = (q: string, nw: string) =>
      detect(
        rec({
          taskFamily: "long-short",
          query: q,
          positive: "positive",
          negatives: ["negative"],
          params: { num_words: nw },
        }),
      );
    expect(ls(words(30), "at least 100")[0]?.target).toBe("query");
    expect(ls(words(20), "less than 10")[0]?.target).toBe("query");
    expect(ls(words(120), "at least 100")).toEqual([]);
  });

  it("counts Chinese and Japanese in segmenter words", () => {
    const zh = "市图书馆经过两年的装修，将于三月的第一个星期一重新开放。新馆设有四十个座位的阅览室。";
    const flags = detect(rec({ positive: zh, params: { num_words: 100, language: "Chinese" } }));
    expect(flags).toHaveLength(1);
    const got = Number(/got: (\d+)/.exec(flags[0]?.evidence[0]?.note ?? "")?.[1]);
    const icu = [...new Intl.Segmenter("zh", { granularity: "word" }).segment(zh)].filter(
      (s) => s.isWordLike,
    ).length;
    expect(got).toBe(icu);
  });

  it("flags length outliers within a task without parameters, weakly, only with 30+ records", () => {
    const make = (n: number, extra?: string) =>
      Array.from({ length: n }, (_, i) =>
        rec({ task: "t", query: "q q q", positive: extra && i === 0 ? extra : words(100 + (i % 7) * 5) }),
      );
    const flagsOf = (records: DetectRecord[]) => {
      const out: Flag[] = [];
      for (const r of runDetectors(records, { only: ["length_mismatch"] })) out.push(...r.flags);
      return out;
    };
    const big = flagsOf(make(40, words(8)));
    expect(big).toHaveLength(1);
    expect(big[0]?.score).toBeLessThanOrEqual(0.5);
    expect(big[0]?.evidence[0]?.note).toMatch(/^unusually short for its task: 8 words/);
    expect(flagsOf(make(20, words(8)))).toEqual([]);
  });

  it("uses the word counts of the collection pass, and counts again when a record has none", () => {
    const records = Array.from({ length: 60 }, (_, i) =>
      rec({
        task: i % 2 ? "t" : "u",
        query: words(3 + (i % 4)),
        positive: i % 13 === 0 ? words(5 + i) : words(100 + (i % 7) * 5),
        negatives: i % 3 ? [words(90 + i), words(i % 11 === 0 ? 900 : 110)] : [],
        params: i % 5 === 0 ? { query_length: "5 to 15 words" } : {},
      }),
    );
    const c = lengthMismatch.collect!(options);
    records.forEach((r, k) => {
      c.add(r, k);
    });
    const data = c.finish();
    expect(data.counts?.keys.length).toBe(60);
    const withCounts = records.map((r, k) => lengthMismatch.detect(r, { key: k, data }, options));
    const recounted = records.map((r, k) =>
      lengthMismatch.detect(r, { key: k, data: { stats: data.stats } }, options),
    );
    expect(withCounts).toEqual(recounted);
    expect(withCounts.flat().length).toBeGreaterThan(3);
    // keys that are not 0, 1, 2…: no counts kept
    const sparse = lengthMismatch.collect!(options);
    records.forEach((r, k) => {
      sparse.add(r, 2 * k);
    });
    expect(sparse.finish().counts).toBeUndefined();
  });
});

describe("countWords (the outlier check's fast copy)", () => {
  it("counts exactly as lib/formats/text.ts countWords, for every BMP code unit", () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const text of [`a${ch}b ${ch}${ch}x`, `${ch}`, ` ${ch} 字${ch}字 `]) {
        expect(countWords(text)).toBe(countWordsReference(text));
      }
    }
    const mixed = "Der Zug fährt um 9:30 ab. 東京は晴れ 서울에서\u00a0x\u3000y\u2003z\u200bw\tq\n";
    expect(countWords(mixed)).toBe(countWordsReference(mixed));
  });
});
