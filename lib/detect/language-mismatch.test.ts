import { describe, expect, it } from "vitest";
import { realRecords, rec } from "./detect-test-utils";
import { languageMismatch } from "./language-mismatch";
import type { DetectRecord } from "./types";

const options = languageMismatch.optionsSchema.parse({});
const detect = (r: DetectRecord) => languageMismatch.detect(r, { key: 0, data: undefined }, options);

const EN =
  "The city library reopens in March after two years of work. A new reading room seats forty people.";
const DE =
  "Die Stadtbibliothek öffnet nach der Renovierung am ersten Montag im März wieder. Das Ausleihen ist weiterhin kostenlos.";
const FR =
  "La bibliothèque municipale rouvrira ses portes le premier lundi de mars après deux ans de travaux.";
const ZH = "市图书馆经过两年的装修，将于三月的第一个星期一重新开放。新馆设有四十个座位的阅览室。";
const JA =
  "市立図書館は二年間の改修工事を終え、三月の第一月曜日に再開館します。蔵書は約一万二千点増えました。";
const KO = "시립 도서관이 2년간의 리모델링을 마치고 3월 첫째 주 월요일에 다시 문을 엽니다.";

describe("language_mismatch", () => {
  it("flags a positive in another language than params.language (names and codes)", () => {
    for (const [language, positive] of [
      ["German", EN],
      ["de", EN],
      ["English", FR],
      ["Korean", EN],
      ["Simplified Chinese", JA],
      ["Japanese", ZH],
      ["zh-CN", KO],
    ] as const) {
      const flags = detect(rec({ query: "x", positive, params: { language } }));
      expect(flags.map((f) => f.target)).toEqual(["positive"]);
      expect(flags[0]?.evidence[0]?.note).toMatch(/^asked: /);
    }
  });

  it("does not flag matching texts, unknown requests, or texts too short to tell", () => {
    expect(
      detect(rec({ query: "Wann öffnet die Bibliothek?", positive: DE, params: { language: "German" } })),
    ).toEqual([]);
    expect(detect(rec({ query: "x", positive: ZH, params: { language: "Chinese" } }))).toEqual([]);
    expect(detect(rec({ query: "x", positive: JA, params: { language: "ja" } }))).toEqual([]);
    expect(detect(rec({ query: "x", positive: EN, params: { language: "Klingon" } }))).toEqual([]);
    expect(detect(rec({ query: "x", positive: EN, params: {} }))).toEqual([]);
    expect(detect(rec({ query: "iPhone 15 Pro", positive: KO, params: { language: "Korean" } }))).toEqual([]);
    expect(
      detect(
        rec({
          query: "big little lies season 2 how many episodes",
          positive: EN,
          params: { language: "en" },
        }),
      ),
    ).toEqual([]);
  });

  it("checks bitext sides against the source and target languages", () => {
    const ok = rec({
      taskFamily: "bitext",
      query: EN,
      positive: FR,
      negatives: [FR],
      params: { source_language: "English", target_language: "French" },
    });
    expect(detect(ok)).toEqual([]);
    const bad = { ...ok, positive: { text: DE } };
    expect(detect(bad).map((f) => f.target)).toEqual(["positive"]);
  });

  it("does not check class labels", () => {
    const r = rec({
      taskFamily: "long-short",
      query: DE,
      positive: "positive review",
      negatives: ["negative review"],
      params: { language: "German" },
    });
    expect(detect(r)).toEqual([]);
  });

  it("finds nothing in the real KorSTS and JSTS files (no language requested there)", async () => {
    for (const name of ["ko_korsts_dev.tsv", "ja_jsts_valid.json"]) {
      const flags = (await realRecords(name)).flatMap((r) => detect(r));
      expect(flags).toEqual([]);
    }
  });
});
