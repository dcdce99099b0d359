import { describe, expect, it } from "vitest";
import { flagembedding } from "./flagembedding";
import { detectFormat, FORMAT_IDS, FORMATS, formatOptions, UnknownFormatError } from "./index";
import { sentenceTransformers } from "./sentence-transformers";
import { jsonl, parseText } from "./test-utils";
import { tevatron } from "./tevatron";

const reasonOf = (r: ReturnType<typeof flagembedding.toRecord>) => (r.ok ? "ok" : r.reason);

describe("detection", () => {
  it("tells the formats apart by their keys", () => {
    expect(detectFormat({ query: "q", pos: ["p"], neg: [] })).toBe("flagembedding");
    expect(detectFormat({ query: ["i", "q"], pos: [["i", "p"]] })).toBe("flagembedding");
    expect(detectFormat({ query_id: "1", query: "q", positive_passages: [], negative_passages: [] })).toBe(
      "tevatron",
    );
    expect(detectFormat({ user_query: "q", positive_document: "p" })).toBe("e5");
    expect(detectFormat({ task: "t", output: { S1: "a", S2: "b", S3: "c" } })).toBe("e5");
    expect(detectFormat({ anchor: "a", positive: "p", negative: "n" })).toBe("sentence-transformers");
    expect(detectFormat({ query: "a", positive: "p" })).toBe("sentence-transformers");
    expect(detectFormat({ question: "a", positive: "p" })).toBe("sentence-transformers");
    expect(detectFormat({ sentence1: "a", sentence2: "b", score: 3 })).toBe("sentence-transformers");
    // `pos` is FlagEmbedding, even with a `positive` column beside it.
    expect(detectFormat({ query: "q", pos: ["p"], positive: "x" })).toBe("flagembedding");
    expect(detectFormat({ premise: "a", hypothesis: "b" })).toBeUndefined();
  });

  it("auto-detects from the first object a format recognises, replaying what it read ahead", async () => {
    const text = `not json\n${jsonl({ foo: 1 }, { query: "q", pos: ["p"] }, { query: "q2", pos: ["p2"] })}`;
    const p = await parseText("mixed.jsonl", text);
    expect(p.format).toBe("flagembedding");
    expect(p.events.map((e) => [e.kind, e.line])).toEqual([
      ["error", 1],
      ["error", 2],
      ["record", 3],
      ["record", 4],
    ]);
    expect(p.errors[1]?.reason).toBe('missing field "query"');
  });

  it("an explicit format overrides detection", async () => {
    const p = await parseText("x.jsonl", jsonl({ anchor: "a", positive: "p" }), { format: "flagembedding" });
    expect(p.format).toBe("flagembedding");
    expect(p.errors).toEqual([{ line: 1, reason: 'missing field "query"' }]);
  });

  it("an unknown shape throws UnknownFormatError naming the keys seen and the known formats", async () => {
    const err = await parseText("nli.jsonl", jsonl({ premise: "a", hypothesis: "b", gold_label: "x" })).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(UnknownFormatError);
    expect(err.seenKeys).toEqual(["premise", "hypothesis", "gold_label"]);
    expect(err.message).toContain('"premise", "hypothesis", "gold_label"');
    for (const id of FORMAT_IDS) expect(err.message).toContain(`  ${id}: ${FORMATS[id].description}`);
  });

  it("says when a file is not JSON, CSV or Parquet", async () => {
    const notJson = await parseText("notes.txt", "hello world\n").catch((e) => e);
    expect(notJson).toBeInstanceOf(UnknownFormatError);
    expect(notJson.message).toContain(
      'is not JSON, JSON Lines, CSV/TSV or Parquet (it starts with "hello world")',
    );
    const garbage = await parseText("data.jsonl", "garbage\nmore garbage\n").catch((e) => e);
    expect(garbage).toBeInstanceOf(UnknownFormatError);
    expect(garbage.message).toMatch(/no valid object in the first 2 lines \(line 1: invalid JSON: /);
    expect(garbage.message).toContain("  tevatron: ");
    const empty = await parseText("empty.jsonl", "").catch((e) => e);
    expect(empty.message).toContain("holds no records");
  });

  it("lists every format with label, description and example (the example is a line of that format)", () => {
    const options = formatOptions();
    expect(options.map((o) => o.id)).toEqual([...FORMAT_IDS]);
    for (const o of options) {
      const example = JSON.parse(o.example) as Record<string, unknown>;
      expect(detectFormat(example)).toBe(o.id);
      expect(FORMATS[o.id].toRecord(example).ok).toBe(true);
    }
  });
});

describe("flagembedding", () => {
  it("maps query, positives, negatives with scores, prompt and type", () => {
    const r = flagembedding.toRecord({
      query: "what is bm25",
      pos: ["BM25 is a ranking function.", "Okapi BM25 ranks documents."],
      neg: ["A bee is an insect.", "BMW is a car maker."],
      pos_scores: [0.9, 0.8],
      neg_scores: [0.2, 0.1],
      prompt: "Represent this query: ",
      type: "normal",
      source: "wiki",
    });
    expect(r).toEqual({
      ok: true,
      record: {
        task: "Represent this query: ",
        taskFamily: "short-short",
        language: "en",
        query: "what is bm25",
        positive: { text: "BM25 is a ranking function.", score: 0.9 },
        extraPositives: [{ text: "Okapi BM25 ranks documents.", score: 0.8 }],
        negatives: [
          { text: "A bee is an insect.", score: 0.2 },
          { text: "BMW is a car maker.", score: 0.1 },
        ],
        params: {},
        meta: { type: "normal", source: "wiki" },
      },
    });
  });

  it("infers the family from lengths unless type names it (short = at most 40 words)", () => {
    const fam = (query: string, pos: string, type?: string) => {
      const r = flagembedding.toRecord({ query, pos: [pos], type });
      return r.ok ? r.record.taskFamily : r.reason;
    };
    const short = "a short text";
    const long = "word ".repeat(41);
    expect(fam(short, long)).toBe("short-long");
    expect(fam(short, short)).toBe("short-short");
    expect(fam(long, long)).toBe("long-long");
    expect(fam(long, short)).toBe("long-short");
    expect(fam("word ".repeat(40), short)).toBe("short-short");
    expect(fam(short, short, "symmetric_sts")).toBe("sts");
    expect(fam(short, short, "symmetric_class")).toBe("classification");
    expect(fam(short, short, "symmetric_clustering")).toBe("clustering");
    expect(fam("鹦鹉吃自己的小鱼吗", "鱼".repeat(100))).toBe("short-long");
  });

  it("rejects with readable reasons", () => {
    expect(reasonOf(flagembedding.toRecord({ query: "q", pos: ["p"], neg: ["a", "b", 3] }))).toBe(
      '"neg" must be an array of strings (got number at neg[2])',
    );
    expect(reasonOf(flagembedding.toRecord({ query: "q", pos: [] }))).toBe(
      '"pos" must be a non-empty array of strings (got array)',
    );
    expect(reasonOf(flagembedding.toRecord({ query: "q", pos: ["p"], neg: ["a", " "] }))).toBe(
      'empty text in "neg[1]"',
    );
    expect(reasonOf(flagembedding.toRecord({ query: 42, pos: ["p"] }))).toBe(
      '"query" must be a string (got number)',
    );
    expect(
      reasonOf(flagembedding.toRecord({ query: "q", pos: ["p"], neg: ["a", "b"], neg_scores: [1] })),
    ).toBe('"neg_scores" has 1 score but "neg" has 2 passages');
    expect(reasonOf(flagembedding.toRecord({ query: "q", pos: ["p"], pos_scores: ["high"] }))).toBe(
      '"pos_scores" must be an array of numbers (got string at pos_scores[0])',
    );
    expect(reasonOf(flagembedding.toRecord({ query: ["i", "q"], pos: [["i", "p"], "bare"] }))).toBe(
      '"pos" must be an array of [instruction, text] pairs (got string at pos[1])',
    );
    expect(reasonOf(flagembedding.toRecord({ query: ["i", ""], pos: [["i", "p"]] }))).toBe(
      'empty text in "query[1]"',
    );
  });

  it("GritLM: an empty query instruction gives no task; a prompt wins over the query instruction", () => {
    const empty = flagembedding.toRecord({ query: ["", "q"], pos: [["", "p"]] });
    expect(empty.ok && empty.record.task).toBeUndefined();
    expect(empty.ok && empty.record.meta).toEqual({ variant: "gritlm", queryInstruction: "" });
    const both = flagembedding.toRecord({ query: ["Instr", "q"], pos: [["", "p"]], prompt: "P" });
    expect(both.ok && both.record.task).toBe("P");
    expect(both.ok && both.record.meta.queryInstruction).toBe("Instr");
  });
});

describe("sentence-transformers", () => {
  it("reads (anchor, positive, negative_1..n) in numeric order, with aliases", () => {
    const r = sentenceTransformers.toRecord({
      question: "q",
      positive: "p",
      negative_10: "n10",
      negative_2: "n2",
      negative: "n0",
      negative_1: "n1",
      split: "train",
    });
    expect(r.ok && r.record.negatives.map((n) => n.text)).toEqual(["n0", "n1", "n2", "n10"]);
    expect(r.ok && r.record.query).toBe("q");
    expect(r.ok && r.record.meta).toEqual({ split: "train" });
  });

  it("reads STS pairs with a score as text (CSV) or a number, and KLUE's labels.label", () => {
    const csv = sentenceTransformers.toRecord({ sentence1: "a", sentence2: "b", score: " 3.80 " });
    expect(csv.ok && csv.record).toMatchObject({
      taskFamily: "sts",
      positive: { text: "b", score: 3.8 },
      meta: {},
    });
    const klue = sentenceTransformers.toRecord({ sentence1: "a", sentence2: "b", labels: { label: 4.2 } });
    expect(klue.ok && klue.record.positive.score).toBe(4.2);
    const bad = sentenceTransformers.toRecord({ sentence1: "a", sentence2: "b", score: "high" });
    expect(reasonOf(bad)).toBe('"score" must be a number (got string)');
    expect(reasonOf(sentenceTransformers.toRecord({ anchor: "a", positive: "" }))).toBe(
      'empty text in "positive"',
    );
    expect(reasonOf(sentenceTransformers.toRecord({ anchor: "a", positive: "p", negative_1: 3 }))).toBe(
      '"negative_1" must be a string (got number)',
    );
  });

  it("reads CSV and TSV rows", async () => {
    const csv = await parseText(
      "triplets.csv",
      'anchor,positive,negative\n"q, one",p1,n1\nq2,p2\nq3,p3,n3\n',
    );
    expect(csv.format).toBe("sentence-transformers");
    expect(csv.container).toBe("csv");
    expect(csv.records.map((r) => [r.line, r.query, r.negatives[0]?.text])).toEqual([
      [2, "q, one", "n1"],
      [4, "q3", "n3"],
    ]);
    expect(csv.errors).toEqual([{ line: 3, reason: "row has 2 columns, the header has 3" }]);
  });
});

describe("tevatron", () => {
  it("maps passages with docid/title in passage meta and query_id as externalId", () => {
    const r = tevatron.toRecord({
      query_id: 12,
      query: "what is dense retrieval",
      positive_passages: [
        {
          docid: "d1",
          title: "Dense retrieval",
          text: "Dense retrieval encodes queries and passages as vectors.",
        },
        { docid: "d2", title: "DPR", text: "DPR is a dense passage retriever." },
      ],
      negative_passages: [{ docid: "d9", title: "BM25", text: "BM25 is a sparse ranking function." }],
      answers: ["vectors"],
    });
    expect(r).toMatchObject({
      ok: true,
      record: {
        externalId: "12",
        query: "what is dense retrieval",
        positive: {
          text: "Dense retrieval encodes queries and passages as vectors.",
          meta: { docid: "d1", title: "Dense retrieval" },
        },
        extraPositives: [{ text: "DPR is a dense passage retriever.", meta: { docid: "d2", title: "DPR" } }],
        negatives: [{ text: "BM25 is a sparse ranking function.", meta: { docid: "d9", title: "BM25" } }],
        meta: { answers: ["vectors"] },
        taskFamily: "short-short",
      },
    });
  });

  it("rejects with readable reasons", () => {
    expect(reasonOf(tevatron.toRecord({ query: "q", positive_passages: [] }))).toBe(
      '"positive_passages" must be a non-empty array of passages {docid, title, text} (got array)',
    );
    expect(reasonOf(tevatron.toRecord({ query: "q", positive_passages: [{ docid: "d" }] }))).toBe(
      'missing field "positive_passages[0].text"',
    );
    expect(reasonOf(tevatron.toRecord({ query: "q", positive_passages: ["text"] }))).toBe(
      '"positive_passages" must be an array of passages {docid, title, text} (got string at positive_passages[0])',
    );
  });
});
