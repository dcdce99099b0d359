import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { evidenceText, realRecords, rec } from "./detect-test-utils";
import { explainingSentences, selfExplanation, selfExplanationInternals } from "./self-explanation";
import type { DetectRecord } from "./types";

const options = selfExplanation.optionsSchema.parse({});
const detect = (r: DetectRecord) => selfExplanation.detect(r, { key: 0, data: undefined }, options);
const passage = (text: string, language?: string) => rec({ positive: text, language });

const BASE = "Bread is made from flour, water and salt. The dough rests for an hour before baking.";

describe("self_explanation", () => {
  const defects: [string, string, string][] = [
    [
      "en",
      `${BASE} This passage is relevant because it explains how bread is made.`,
      "This passage is relevant",
    ],
    [
      "en",
      `Although this document mentions bread, it does not answer the question about cakes. ${BASE}`,
      "Although",
    ],
    ["en", `${BASE} (Note: this text is a hard negative for the query.)`, "(Note:"],
    ["zh", "面包由面粉制成。这段文字与查询相关，因为它直接回答了关于面包的问题。", "这段文字与查询相关"],
    ["zh", "该文档并未回答用户的问题。面包由面粉制成。", "该文档并未回答用户的问题。"],
    [
      "ja",
      "パンは小麦粉から作られます。この文書はクエリに関連しています。",
      "この文書はクエリに関連しています。",
    ],
    [
      "ko",
      "빵은 밀가루로 만든다. 이 문서는 질문에 답하지 않으므로 어려운 부정 예시입니다.",
      "이 문서는 질문에",
    ],
    [
      "de",
      "Brot wird aus Mehl gemacht. Dieser Text ist relevant, weil er die Frage direkt beantwortet.",
      "Dieser Text",
    ],
    [
      "fr",
      "Le pain est fait de farine. Ce document ne répond pas à la requête.",
      "Ce document ne répond pas",
    ],
    [
      "es",
      "El pan se hace con harina. Este documento es relevante porque explica cómo se hace el pan.",
      "Este documento",
    ],
  ];
  for (const [lang, text, start] of defects) {
    it(`flags a self-explanation (${lang}: ${start})`, () => {
      const r = passage(text, lang);
      const flags = detect(r);
      expect(flags).toHaveLength(1);
      const f = flags[0]!;
      expect(f.defect).toBe("self_explanation");
      expect(f.target).toBe("positive");
      expect(f.detector).toBe("self_explanation@1");
      expect(evidenceText(r, f).startsWith(start)).toBe(true);
    });
  }

  it("points at the negative that explains itself", () => {
    const r = rec({ positive: BASE, negatives: [BASE, `${BASE} This document does not answer the query.`] });
    const flags = detect(r);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ target: "negative", negativeIndex: 1 });
    expect(evidenceText(r, flags[0]!)).toBe("This document does not answer the query.");
  });

  const controls: [string, string][] = [
    ["en", `This document describes the leave policy. ${BASE}`],
    ["en", `Note: the museum is closed on holidays. ${BASE}`],
    ["en", `In this article we explain how to bake bread. ${BASE}`],
    ["en", `This article answers the question of whether coffee is healthy. ${BASE}`],
    ["en", `This document is relevant to all employees because it explains the new rules. ${BASE}`],
    [
      "en",
      `A document is relevant to the query if it contains the answer. BM25 ranks documents by term frequency.`,
    ],
    ["en", `The database returns every row that matches the query within a second. ${BASE}`],
    ["zh", "本文介绍了公司的请假制度。员工每年有二十天假期。"],
    ["zh", "问：发货需要多久？答：一般三到五个工作日。本回答由提问者推荐。"],
    ["ja", "本稿では新しい休暇制度について述べる。社員は年間20日の休暇を取得できる。"],
    [
      "ko",
      "이 자료의 데이터는 세무 목적과는 관련이 없습니다. 물리학 사이트에 게시된 비슷한 질문에 대한 나의 대답은 다음과 같다.",
    ],
    ["de", "Dieser Ratgeber beantwortet die häufigsten Fragen zum Thema Brot."],
    ["fr", "Ce guide répond aux questions les plus fréquentes sur le pain."],
    ["es", "Esta guía responde a las preguntas más frecuentes sobre el pan."],
  ];
  for (const [lang, text] of controls) {
    it(`does not flag ordinary text about itself (${lang}: ${text.slice(0, 40)}…)`, () => {
      expect(detect(passage(text, lang))).toEqual([]);
    });
  }

  it("reads long-short input texts, and the record's label counts as the target", () => {
    const r = rec({
      taskFamily: "long-short",
      query: `${BASE} This text is labeled as recipe because it clearly describes the dough.`,
      positive: "recipe",
      negatives: ["news"],
      label: "recipe",
      misleadingLabel: "news",
    });
    const flags = detect(r);
    expect(flags).toHaveLength(1);
    expect(flags[0]?.target).toBe("query");
    // The same sentence naming another category is an ordinary statement.
    expect(
      detect({ ...r, query: `${BASE} This product is labeled as organic because it meets the rules.` }),
    ).toEqual([]);
  });

  it("scores a very long unpunctuated page in windows", () => {
    const page = `本文作者 ${"某某公会成员名单 ".repeat(40)}总喜欢问一些无关问题的小法师`;
    expect(explainingSentences(page, "zh", options.threshold)).toEqual([]);
  });

  it("does not flag the real FlagEmbedding, T2Ranking, KorSTS or JSTS files", async () => {
    for (const name of [
      "flagemb_msmarco_scored.jsonl",
      "flagemb_nq_scored.jsonl",
      "flagemb_nli_1neg.jsonl",
      "flagemb_sts.jsonl",
      "flagemb_cls_amazon.jsonl",
      "flagemb_cls_banking77.jsonl",
      "flagemb_clu_arxiv_title.jsonl",
      "flagemb_toy_finetune.jsonl",
      "gritlm_instruct_embedding.jsonl",
      "intel_llm_augmented_queries.jsonl",
      "zh_t2ranking_100.jsonl",
      "ko_korsts_dev.tsv",
      "ja_jsts_valid.json",
    ]) {
      const flagged = (await realRecords(name)).flatMap((r) => detect(r));
      expect({ name, flagged: flagged.length }).toEqual({ name, flagged: 0 });
    }
  });
});

describe("self_explanation stems", () => {
  // Every match of a gate group must contain a stem, or the sentence would never be scored.
  const texts: string[] = [];
  const casesFile = path.resolve(import.meta.dirname, "../../eval/detectors/cases/self_explanation.jsonl");
  for (const line of readFileSync(casesFile, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const c = JSON.parse(line) as { record: DetectRecord };
    texts.push(c.record.query, c.record.positive.text, ...c.record.negatives.map((n) => n.text));
  }

  it("cover every gate-group match in the evaluation cases", () => {
    const { LEXICONS, STEMS, GATES } = selfExplanationInternals;
    const missing: string[] = [];
    for (const [lang, lex] of Object.entries(LEXICONS)) {
      const stems = new RegExp((STEMS[lang] as RegExp).source, "iu");
      for (const g of GATES) {
        const re = lex[g];
        if (!re) continue;
        const global = new RegExp(re.source, `${re.flags.replace("g", "")}g`);
        for (const t of texts) {
          for (const m of t.matchAll(global)) if (!stems.test(m[0])) missing.push(`${lang}/${g}: ${m[0]}`);
        }
      }
    }
    expect([...new Set(missing)]).toEqual([]);
  });
});
