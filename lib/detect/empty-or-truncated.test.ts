import { describe, expect, it } from "vitest";
import { evidenceText, realRecords, rec } from "./detect-test-utils";
import { emptyOrTruncated } from "./empty-or-truncated";
import { runDetectors } from "./index";
import type { DetectRecord } from "./types";

const options = emptyOrTruncated.optionsSchema.parse({});
const detect = (r: DetectRecord) => emptyOrTruncated.detect(r, { key: 0, data: new Map() }, options);

const LONG =
  "The city library reopens in March after two years of work. A new reading room seats forty people and a children's corner opens downstairs. " +
  "The collection grew by twelve thousand items, many of them audiobooks. Borrowing stays free for residents of the city.";

describe("empty_or_truncated", () => {
  it("flags empty texts and placeholders", () => {
    for (const positive of [
      "",
      "   \n",
      "N/A",
      "...",
      "TODO",
      "<positive_document>",
      "{hard_negative_document}",
    ]) {
      const flags = detect(rec({ positive }));
      expect(flags).toHaveLength(1);
      expect(flags[0]?.target).toBe("positive");
    }
  });

  it("does not take a legitimate class label for a placeholder", () => {
    const r = rec({ taskFamily: "long-short", query: LONG, positive: "none", negatives: ["N/A"] });
    expect(detect(r)).toEqual([]);
  });

  it("flags a passage cut after a dangling word, with the last sentence as evidence", () => {
    const r = rec({ positive: `${LONG} Opening hours on Saturdays will be extended until six and the` });
    const flags = detect(r);
    expect(flags).toHaveLength(1);
    expect(flags[0]?.score).toBe(0.8);
    expect(evidenceText(r, flags[0]!)).toBe("Opening hours on Saturdays will be extended until six and the");
  });

  it("flags prose that stops mid-sentence, in other scripts too", () => {
    expect(detect(rec({ positive: `${LONG} Opening hours on Saturdays will be exten` }))).toHaveLength(1);
    const zh =
      "市图书馆经过两年的装修，将于三月的第一个星期一重新开放。新馆设有四十个座位的阅览室，一楼还增加了儿童阅读区。馆藏新增图书约一万两千册，其中包括大量有声读物。本市居民借书依然免费。周六的开放时间延长到下午六点，周日的开放时间";
    expect(detect(rec({ positive: zh, language: "zh" }))).toHaveLength(1);
  });

  it("does not flag complete passages, headings-like last lines, URLs or keyword queries", () => {
    expect(detect(rec({ positive: LONG }))).toEqual([]);
    expect(detect(rec({ positive: `${LONG}\nSee also` }))).toEqual([]);
    expect(detect(rec({ positive: `${LONG}\nhttps://example.org/library` }))).toEqual([]);
    expect(detect(rec({ query: "city library opening hours march", positive: LONG }))).toEqual([]);
    expect(detect(rec({ query: "pros and cons of e-readers", positive: LONG }))).toEqual([]);
  });

  it("flags the real Intel query cut after 'and what?' (line 6) and no other Intel line", async () => {
    const records = await realRecords("intel_llm_augmented_queries.jsonl");
    const lines = records.flatMap((r, i) => detect(r).map((f) => [i + 1, f.target]));
    expect(lines).toEqual([[6, "query"]]);
    const f = detect(records[5]!)[0]!;
    expect(evidenceText(records[5]!, f)).toBe("and what?");
  });

  it("flags a short sentence without a stop among texts that all have one", () => {
    const r = rec({
      taskFamily: "sts",
      query: "The museum is closed on Mondays.",
      positive: "On Mondays the museum does",
      negatives: ["The museum opens at nine."],
    });
    expect(detect(r).map((f) => f.target)).toEqual(["positive"]);
  });

  it("leaves data sets cut into fixed-size chunks alone (NQ passages)", async () => {
    const records = await realRecords("flagemb_nq_scored.jsonl");
    const flags = [...runDetectors(records, { only: ["empty_or_truncated"] })].flatMap((r) => r.flags);
    expect(flags).toEqual([]);
  });
});
