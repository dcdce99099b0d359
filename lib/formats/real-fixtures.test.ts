import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseInput } from "./index";
import { openInput } from "./node";
import { collect, fixture, type Parsed } from "./test-utils";
import { canonicalRecordSchema } from "./types";

async function parseFile(name: string): Promise<Parsed> {
  const parsed = await parseInput(await openInput(fixture("real", name)));
  const events = await collect(parsed.events);
  return {
    format: parsed.format,
    container: parsed.container,
    events,
    records: events.flatMap((e) =>
      e.kind === "record" ? [{ ...e.record, line: e.line, hash: e.hash }] : [],
    ),
    errors: events.flatMap((e) => (e.kind === "error" ? [{ line: e.line, reason: e.reason }] : [])),
  };
}

/** The file's objects, read here independently of the parser. */
function readJsonl(name: string): Record<string, unknown>[] {
  return readFileSync(fixture("real", name), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const arr = (v: unknown): unknown[] => v as unknown[];

/** Checks every record against its source object: texts, every positive and negative, scores in order. */
function expectFlagEmbeddingRecords(parsed: Parsed, source: Record<string, unknown>[], grit = false) {
  expect(parsed.records).toHaveLength(source.length);
  parsed.records.forEach((r, i) => {
    const src = source[i] as Record<string, unknown>;
    const text = (v: unknown) => (grit ? (v as string[])[1] : v);
    expect(r.line).toBe(i + 1);
    expect(r.query).toBe(text(src.query));
    const pos = arr(src.pos).map(text);
    const neg = arr(src.neg).map(text);
    expect(r.positive.text).toBe(pos[0]);
    expect(r.extraPositives.map((p) => p.text)).toEqual(pos.slice(1));
    expect(r.negatives.map((p) => p.text)).toEqual(neg);
    if (src.pos_scores) expect([r.positive, ...r.extraPositives].map((p) => p.score)).toEqual(src.pos_scores);
    else expect(r.positive.score).toBeUndefined();
    if (src.neg_scores) expect(r.negatives.map((p) => p.score)).toEqual(src.neg_scores);
    else expect(r.negatives.every((p) => p.score === undefined)).toBe(true);
    if (typeof src.prompt === "string") expect(r.task).toBe(src.prompt);
    if (src.type !== undefined) expect(r.meta.type).toBe(src.type);
    expect(() => canonicalRecordSchema.parse(r)).not.toThrow();
  });
}

describe("real FlagEmbedding files", () => {
  const cases: [string, number, number, string][] = [
    // file, records, negatives in total (counted by hand from SOURCES.md / the files), expected family
    ["flagemb_msmarco_scored.jsonl", 10, 250, "short-long"],
    ["flagemb_nq_scored.jsonl", 10, 979, "short-long"],
    ["flagemb_nli_1neg.jsonl", 10, 10, ""],
    ["flagemb_sts.jsonl", 10, 280, "sts"],
    ["flagemb_cls_amazon.jsonl", 10, 40, "classification"],
    ["flagemb_cls_banking77.jsonl", 10, 300, "classification"],
    ["flagemb_clu_arxiv_title.jsonl", 10, 197, "clustering"],
    ["flagemb_toy_finetune.jsonl", 10, 70, "short-short"],
    ["intel_llm_augmented_queries.jsonl", 10, 50, "short-short"],
  ];
  for (const [name, count, negatives, family] of cases) {
    it(`${name}: ${count} records, ${negatives} negatives, every field in place`, async () => {
      const parsed = await parseFile(name);
      expect(parsed.format).toBe("flagembedding");
      expect(parsed.container).toBe("jsonl");
      expect(parsed.errors).toEqual([]);
      expect(parsed.records).toHaveLength(count);
      expect(parsed.records.reduce((n, r) => n + r.negatives.length, 0)).toBe(negatives);
      expectFlagEmbeddingRecords(parsed, readJsonl(name));
      if (family) expect(new Set(parsed.records.map((r) => r.taskFamily))).toEqual(new Set([family]));
      expect(parsed.records.every((r) => r.language === "en")).toBe(true);
    });
  }

  it("msmarco: pos_scores / neg_scores land on the passages", async () => {
    const parsed = await parseFile("flagemb_msmarco_scored.jsonl");
    const first = parsed.records[0];
    const src = readJsonl("flagemb_msmarco_scored.jsonl")[0] as {
      pos_scores: number[];
      neg_scores: number[];
    };
    expect(first?.positive.score).toBe(src.pos_scores[0]);
    expect(first?.negatives).toHaveLength(25);
    expect(first?.negatives[24]?.score).toBe(src.neg_scores[24]);
    expect(first?.meta).toEqual({ type: "normal" });
  });

  it("nq: keeps the two duplicated negatives of line 1 (review finds them, the parser does not drop them)", async () => {
    const parsed = await parseFile("flagemb_nq_scored.jsonl");
    const negs = parsed.records[0]?.negatives.map((n) => n.text) ?? [];
    expect(negs.length - new Set(negs).size).toBe(2);
  });

  it("arXiv clustering: category stays in meta", async () => {
    const parsed = await parseFile("flagemb_clu_arxiv_title.jsonl");
    const src = readJsonl("flagemb_clu_arxiv_title.jsonl");
    expect(parsed.records.map((r) => r.meta.category)).toEqual(src.map((o) => o.category));
  });
});

describe("real GritLM file", () => {
  it("gritlm_instruct_embedding.jsonl: [instruction, text] pairs, query instruction becomes the task", async () => {
    const parsed = await parseFile("gritlm_instruct_embedding.jsonl");
    expect(parsed.format).toBe("flagembedding");
    expect(parsed.errors).toEqual([]);
    const source = readJsonl("gritlm_instruct_embedding.jsonl");
    expectFlagEmbeddingRecords(parsed, source, true);
    expect(parsed.records.reduce((n, r) => n + r.negatives.length, 0)).toBe(70);
    for (const [i, r] of parsed.records.entries()) {
      const src = source[i] as { query: string[]; pos: string[][]; neg: string[][] };
      expect(r.task).toBe(src.query[0]);
      expect(r.meta.variant).toBe("gritlm");
      expect(r.positive.meta).toEqual({ instruction: src.pos[0]?.[0] });
      expect(r.negatives.map((n) => n.meta?.instruction)).toEqual(src.neg.map((n) => n[0]));
      expect(r.language).toBe("en");
    }
  });
});

describe("real Chinese, Korean and Japanese files", () => {
  it("zh_t2ranking_100.jsonl: 100 records, each with all its positives and negatives", async () => {
    const parsed = await parseFile("zh_t2ranking_100.jsonl");
    expect(parsed.format).toBe("flagembedding");
    expect(parsed.errors).toEqual([]);
    expect(parsed.records).toHaveLength(100);
    const source = readJsonl("zh_t2ranking_100.jsonl");
    expectFlagEmbeddingRecords(parsed, source);
    expect(parsed.records.reduce((n, r) => n + r.negatives.length, 0)).toBe(1500);
    expect(parsed.records.reduce((n, r) => n + 1 + r.extraPositives.length, 0)).toBe(505);
    expect(parsed.records.every((r) => r.language === "zh")).toBe(true);
    // Lines 10, 19, 47, 52, 82, 83 have a negative identical to a positive; both are kept.
    const overlap = parsed.records
      .filter((r) => {
        const pos = new Set([r.positive.text, ...r.extraPositives.map((p) => p.text)]);
        return r.negatives.some((n) => pos.has(n.text));
      })
      .map((r) => r.line);
    expect(overlap).toEqual([10, 19, 47, 52, 82, 83]);
  });

  it("ko_korsts_dev.tsv: 1,500 STS pairs with quoting off, scores parsed from text", async () => {
    const parsed = await parseFile("ko_korsts_dev.tsv");
    expect(parsed.format).toBe("sentence-transformers");
    expect(parsed.container).toBe("tsv");
    expect(parsed.errors).toEqual([]);
    expect(parsed.records).toHaveLength(1500);
    const lines = readFileSync(fixture("real", "ko_korsts_dev.tsv"), "utf8").split("\n");
    const withQuotes = parsed.records.filter((r) => r.query.includes('"') || r.positive.text.includes('"'));
    expect(withQuotes.length).toBeGreaterThan(0);
    for (const r of parsed.records) {
      const cols = (lines[r.line - 1] as string).split("\t");
      expect(r.query).toBe(cols[5]);
      expect(r.positive.text).toBe(cols[6]);
      expect(r.positive.score).toBe(Number(cols[4]));
      expect(r.taskFamily).toBe("sts");
      expect(r.negatives).toEqual([]);
      expect(r.language).toBe("ko");
      expect(r.meta).toEqual({ genre: cols[0], filename: cols[1], year: cols[2], id: cols[3] });
    }
    expect(parsed.records[0]).toMatchObject({
      line: 2,
      query: "안전모를 가진 한 남자가 춤을 추고 있다.",
      positive: { text: "안전모를 쓴 한 남자가 춤을 추고 있다.", score: 5 },
    });
    expect(parsed.records.filter((r) => r.query === r.positive.text)).toHaveLength(5);
  });

  it("ja_jsts_valid.json: JSON Lines despite the name, 1,457 pairs scored by label", async () => {
    const parsed = await parseFile("ja_jsts_valid.json");
    expect(parsed.format).toBe("sentence-transformers");
    expect(parsed.container).toBe("jsonl");
    expect(parsed.errors).toEqual([]);
    expect(parsed.records).toHaveLength(1457);
    const source = readJsonl("ja_jsts_valid.json");
    parsed.records.forEach((r, i) => {
      const src = source[i] as Record<string, unknown>;
      expect(r.query).toBe(src.sentence1);
      expect(r.positive).toEqual({ text: src.sentence2, score: src.label });
      expect(r.meta).toEqual({ sentence_pair_id: src.sentence_pair_id, yjcaptions_id: src.yjcaptions_id });
      expect(r.taskFamily).toBe("sts");
      expect(r.language).toBe("ja");
    });
    const identical = parsed.records.filter((r) => r.query === r.positive.text);
    expect(identical).toHaveLength(4);
    expect(identical.find((r) => r.meta.sentence_pair_id === "973")?.positive.score).toBe(4.6);
  });
});
