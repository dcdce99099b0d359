import { describe, expect, it } from "vitest";
import { evidenceText, realRecords, rec } from "./detect-test-utils";
import { queryLeakage, questionFrame } from "./query-leakage";
import type { DetectRecord } from "./types";

const options = queryLeakage.optionsSchema.parse({});
const detect = (r: DetectRecord) => queryLeakage.detect(r, { key: 0, data: undefined }, options);

const PASSAGE =
  "The city library reopens in March after two years of work. A new reading room seats forty people. Borrowing stays free for residents.";

describe("query_leakage", () => {
  it("flags the real Intel line 10 (the query copies most of its positive) and no other line", async () => {
    const records = await realRecords("intel_llm_augmented_queries.jsonl");
    const flagged = records.flatMap((r, i) => detect(r).map((f) => ({ line: i + 1, f, r })));
    expect(flagged.map((x) => x.line)).toEqual([10]);
    const { f, r } = flagged[0]!;
    expect(f.target).toBe("positive");
    expect(evidenceText(r, f)).toBe(
      "to deliver on our goal of five manufacturing technology nodes in four years",
    );
  });

  it("flags a question copied into the positive, robust to case and punctuation, with the copied span", () => {
    const query = "When does the city library reopen after the renovation?";
    for (const copy of [query, query.toLowerCase().replace(/[?]/g, ""), `"${query}"`]) {
      const r = rec({ query, positive: `${PASSAGE} ${copy} Opening hours are posted online.` });
      const flags = detect(r);
      expect(flags).toHaveLength(1);
      expect(evidenceText(r, flags[0]!).toLowerCase()).toContain(
        "does the city library reopen after the renovation",
      );
    }
  });

  it("flags a copy in a negative, and a copy with a word changed", () => {
    const query = "How much does a reading room seat cost per month in Berlin?";
    const r = rec({
      query,
      positive: PASSAGE,
      negatives: [PASSAGE, `How much does a reading desk seat cost per month in Berlin? ${PASSAGE}`],
    });
    const flags = detect(r);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ target: "negative", negativeIndex: 1 });
  });

  it("flags Chinese, Japanese and Korean copies by characters", () => {
    const cases: [string, string][] = [
      ["市图书馆装修后什么时候重新开放", "很多人都想知道：市图书馆装修后什么时候重新开放？答案是三月。"],
      [
        "インフルエンザの予防接種はいつ受けるべきですか",
        "よくある質問：インフルエンザの予防接種はいつ受けるべきですか？毎年秋が目安です。",
      ],
      [
        "독감 예방접종은 언제 받는 것이 좋은가요",
        "질문: 독감 예방접종은 언제 받는 것이 좋은가요? 매년 가을에 받는 것이 좋습니다.",
      ],
    ];
    for (const [query, positive] of cases) {
      const r = rec({ query, positive });
      const flags = detect(r);
      expect(flags).toHaveLength(1);
      expect(evidenceText(r, flags[0]!)).toContain(query.slice(0, 6));
    }
  });

  it("does not flag short keyword queries that appear in their passage", () => {
    for (const query of [
      "vegan lasagna",
      "city library hours",
      "红烧肉做法",
      "チェックイン時間",
      "읽기 목록 온라인 강좌",
    ]) {
      expect(detect(rec({ query, positive: `${query}\n${PASSAGE} ${query} is popular.` }))).toEqual([]);
    }
  });

  it("does not flag an answer that restates the question", () => {
    const pairs: [string, string][] = [
      [
        "Does the seasoning improve the marinade?",
        "In Lyon the seasoning improves the marinade in most cases.",
      ],
      [
        "Est-ce que l'analyse de sang limite le plan de traitement à Lyon ?",
        "À Lyon, l'analyse de sang limite le plan de traitement.",
      ],
      ["构建脚本会增加单元测试吗？", "在柏林，构建脚本会增加单元测试。"],
      [
        "How does the keyboard reduce the noise in open offices?",
        "The keyboard reduces the noise in open offices by 20%.",
      ],
    ];
    for (const [query, positive] of pairs)
      expect(detect(rec({ query, positive: `${PASSAGE} ${positive}` }))).toEqual([]);
  });

  it("does not flag half a query, or its words in another order", () => {
    const query = "When does the city library reopen after the renovation?";
    expect(detect(rec({ query, positive: `When does the city library open? ${PASSAGE}` }))).toEqual([]);
    expect(
      detect(rec({ query, positive: `${PASSAGE} renovation the after reopen library city the does when` })),
    ).toEqual([]);
  });

  it("skips STS, bitext and classification records", () => {
    const query = "A man with a hard hat is dancing on the stage tonight.";
    for (const taskFamily of ["sts", "bitext", "long-short"] as const)
      expect(detect(rec({ taskFamily, query, positive: query }))).toEqual([]);
  });

  it("tells questions apart", () => {
    expect(questionFrame("Does the vaccine cause fever?")?.kind).toBe("yesno");
    expect(questionFrame("When does Intel plan to deliver?")?.kind).toBe("wh");
    expect(questionFrame("Est-ce que le musée est ouvert ?")?.kind).toBe("yesno");
    expect(questionFrame("长期熬夜对心脏有什么影响")?.kind).toBe("wh");
    expect(questionFrame("构建脚本会增加单元测试吗")?.kind).toBe("yesno");
    expect(questionFrame("vegan lasagna recipe")).toBeUndefined();
  });
});
