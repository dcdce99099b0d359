import { describe, expect, it } from "vitest";
import { e5 } from "./e5";
import { openInput } from "./node";
import { fixture, jsonl, type Parsed, parseAll, parseText } from "./test-utils";
import { canonicalRecordSchema } from "./types";

const parseFixture = async (name: string): Promise<Parsed> => {
  const { source, fileName } = await openInput(fixture("e5", name));
  return parseAll(source, fileName);
};

const byId = (parsed: Parsed, id: string) => {
  const r = parsed.records.find((x) => x.externalId === id);
  if (!r) throw new Error(`no record ${id}`);
  return r;
};

describe("E5 fixtures, one file per family", () => {
  it("short-long: flat, under output, under response (object, JSON string, fenced string), params top-level and under params", async () => {
    const p = await parseFixture("short-long.jsonl");
    expect(p.format).toBe("e5");
    expect(p.errors).toEqual([]);
    expect(p.records).toHaveLength(5);
    expect(p.records.every((r) => r.taskFamily === "short-long" && r.negatives.length === 1)).toBe(true);
    for (const r of p.records) expect(() => canonicalRecordSchema.parse(r)).not.toThrow();

    const flat = byId(p, "sl-1");
    expect(flat).toMatchObject({
      line: 1,
      task: "Given a cooking question, retrieve recipes that answer it",
      language: "en",
      query: "basic sourdough loaf",
      params: {
        query_type: "common",
        query_length: "less than 5 words",
        clarity: "clear",
        num_words: 50,
        difficulty: "high school",
        language: "English",
      },
      meta: {},
    });
    expect(flat.positive.text).toMatch(/^Sourdough starts/);
    expect(flat.negatives[0]?.text).toMatch(/^Banana bread/);

    const zh = byId(p, "sl-2");
    expect(zh).toMatchObject({
      language: "zh",
      query: "长期熬夜对心脏有什么影响",
      meta: { nesting: "output" },
    });
    expect(zh.params).toMatchObject({ num_words: 100, difficulty: "college", language: "Chinese" });

    const ko = byId(p, "sl-3");
    expect(ko).toMatchObject({
      language: "ko",
      query: "제주도 우도 가는 법",
      meta: { nesting: "response (JSON string)" },
    });
    expect(ko.params.language).toBe("Korean");

    const ja = byId(p, "sl-4");
    expect(ja).toMatchObject({ language: "ja", task: "日本語の質問に対して、それに答える説明文を検索する" });
    expect(ja.meta).toEqual({ nesting: "response" });
    expect(ja.params.difficulty).toBe("PhD");

    const fenced = p.records[4];
    expect(fenced?.externalId).toBeUndefined();
    expect(fenced?.task).toBe("Retrieve product manuals that answer a user's troubleshooting question");
    expect(fenced?.query).toBe("why does my dishwasher leave white spots on glasses");
    expect(fenced?.params).toEqual({ query_length: "5 to 15 words", num_words: 50, language: "English" });
  });

  it("long-short: input_text → query, label → positive and label, misleading_label → negative and misleadingLabel", async () => {
    const p = await parseFixture("long-short.jsonl");
    expect(p.errors).toEqual([]);
    expect(p.records).toHaveLength(3);
    const en = byId(p, "ls-1");
    expect(en).toMatchObject({
      taskFamily: "long-short",
      label: "positive",
      misleadingLabel: "negative",
      positive: { text: "positive" },
      negatives: [{ text: "negative" }],
      language: "en",
      params: { num_words: "at least 50", language: "English", difficulty: "high school", clarity: "clear" },
    });
    expect(en.query).toMatch(/^I bought this kettle/);
    expect(byId(p, "ls-2")).toMatchObject({
      label: "Wirtschaft",
      misleadingLabel: "Politik",
      language: "de",
    });
    expect(byId(p, "ls-3")).toMatchObject({ label: "手机", misleadingLabel: "相机", language: "zh" });
  });

  it("short-short: hard negative optional, family from word counts or task_type", async () => {
    const p = await parseFixture("short-short.jsonl");
    expect(p.errors).toEqual([]);
    expect(p.records.map((r) => [r.externalId, r.taskFamily, r.negatives.length])).toEqual([
      ["ss-1", "short-short", 1],
      ["ss-2", "short-short", 0],
      ["ss-3", "short-short", 0],
    ]);
    expect(byId(p, "ss-2")).toMatchObject({ language: "ko", params: { language: "Korean" } });
    expect(byId(p, "ss-3").meta).toEqual({});
  });

  it("long-long: from num_words (top-level or params), from the positive's length, or from a family field", async () => {
    const p = await parseFixture("long-long.jsonl");
    expect(p.errors).toEqual([]);
    expect(p.records.map((r) => [r.externalId, r.taskFamily, r.negatives.length])).toEqual([
      ["ll-1", "long-long", 1],
      ["ll-2", "long-long", 0],
      ["ll-3", "long-long", 0],
      ["ll-4", "long-long", 1],
    ]);
    expect(byId(p, "ll-2").params).toEqual({ num_words: "at least 300 words", language: "English" });
    expect(byId(p, "ll-3")).toMatchObject({ language: "de", params: {} });
  });

  it("sts and bitext: S1/S2/S3, bitext when source and target languages differ or a family field says so", async () => {
    const sts = await parseFixture("sts.jsonl");
    expect(sts.errors).toEqual([]);
    expect(sts.records.map((r) => [r.taskFamily, r.language])).toEqual([
      ["sts", "en"],
      ["sts", "ja"],
    ]);
    expect(byId(sts, "sts-1")).toMatchObject({
      query: "A man is playing a guitar on the street.",
      positive: { text: "Someone plays the guitar outdoors on a sidewalk." },
      negatives: [{ text: "A man is selling guitars in a music shop." }],
      params: { unit: "sentence", high_score: 4.5, low_score: 2.5, language: "English" },
    });
    expect(byId(sts, "sts-2").params).toEqual({
      unit: "sentence",
      high_score: 5,
      low_score: 3,
      language: "Japanese",
    });

    const bitext = await parseFixture("bitext.jsonl");
    expect(bitext.errors).toEqual([]);
    expect(bitext.records.map((r) => [r.taskFamily, r.language])).toEqual([
      ["bitext", "en"],
      ["bitext", "zh"],
      ["bitext", "en"],
    ]);
    expect(byId(bitext, "bt-2")).toMatchObject({
      positive: { text: "The signature dish of this restaurant is Peking duck." },
      params: { source_language: "Chinese", target_language: "English", low_score: 2 },
    });
  });
});

describe("E5 conversion details", () => {
  const base = { user_query: "q", positive_document: "p", hard_negative_document: "n" };

  it("detects flat and nested objects, and not other shapes", () => {
    expect(e5.detect(base)).toBe(true);
    expect(e5.detect({ output: base })).toBe(true);
    expect(e5.detect({ response: JSON.stringify(base) })).toBe(true);
    expect(e5.detect({ S1: "a", S2: "b", S3: "c" })).toBe(true);
    expect(e5.detect({ input: "a", positive_document: "b" })).toBe(true);
    expect(e5.detect({ input: "a", output: "b" })).toBe(false);
    expect(e5.detect({ query: "q", pos: ["p"] })).toBe(false);
  });

  it("keeps unknown fields in meta, with the generated object's extras beside them", () => {
    const r = e5.toRecord({
      id: 7,
      model: "gpt-4",
      output: { ...base, explanation: "why" },
      params: { seed: 3 },
    });
    expect(r).toMatchObject({
      ok: true,
      record: {
        externalId: "7",
        params: { seed: 3 },
        meta: { model: "gpt-4", explanation: "why", nesting: "output" },
      },
    });
  });

  it("params under `params` and at top level end up together; non-scalar values stay out", () => {
    const r = e5.toRecord({ ...base, language: "German", params: { difficulty: "PhD", bad: [1] } });
    expect(r.ok && r.record.params).toEqual({ language: "German", difficulty: "PhD" });
    expect(r.ok && r.record.language).toBe("de");
  });

  it("rejects with readable reasons", () => {
    const reason = (obj: Record<string, unknown>) => {
      const r = e5.toRecord(obj);
      return r.ok ? "ok" : r.reason;
    };
    expect(reason({ user_query: "q", hard_negative_document: "n" })).toBe(
      'missing field "positive_document"',
    );
    expect(reason({ positive_document: "p", hard_negative_document: "n" })).toBe(
      'missing field "user_query"',
    );
    expect(reason({ ...base, user_query: "  " })).toBe('empty text in "user_query"');
    expect(reason({ ...base, positive_document: 5 })).toBe(
      '"positive_document" must be a string (got number)',
    );
    expect(reason({ output: { ...base, hard_negative_document: "" } })).toBe(
      'empty text in "output.hard_negative_document"',
    );
    expect(reason({ response: "{not json" })).toMatch(/^"response" is not valid JSON/);
    expect(reason({ response: "[1]" })).toBe('"response" must hold a JSON object (got array)');
    expect(reason({ ...base, task_type: "sts" })).toBe(
      '"task_type" says sts but the fields are those of short-long (user_query, positive_document, hard_negative_document)',
    );
    expect(reason({ input_text: "t", label: "a" })).toBe('missing field "misleading_label"');
    expect(reason({ S1: "a", S2: "b" })).toBe('missing field "S3"');
  });

  it("reads the family from task_family / family / task_type aliases", () => {
    const fam = (obj: Record<string, unknown>) => {
      const r = e5.toRecord(obj);
      return r.ok ? r.record.taskFamily : r.reason;
    };
    const pair = { input: "a short text", positive_document: "another short text" };
    expect(fam(pair)).toBe("short-short");
    expect(fam({ ...pair, task_family: "long-long" })).toBe("long-long");
    expect(fam({ ...pair, num_words: "at least 300" })).toBe("long-long");
    expect(fam({ ...pair, params: { num_words: 50 } })).toBe("short-short");
    expect(fam({ ...pair, positive_document: "word ".repeat(101) })).toBe("long-long");
    expect(fam({ S1: "a", S2: "b", S3: "c", family: "bitext_matching" })).toBe("bitext");
    expect(fam({ S1: "a", S2: "b", S3: "c", source_language: "English", target_language: "english" })).toBe(
      "sts",
    );
  });

  it("parses E5 JSON Lines end to end with content hashes", async () => {
    const p = await parseText("gen.jsonl", jsonl(base, { output: base }, { response: JSON.stringify(base) }));
    expect(p.format).toBe("e5");
    expect(p.records).toHaveLength(3);
    // Same content, differently nested: same hash.
    expect(new Set(p.records.map((r) => r.hash)).size).toBe(1);
  });
});
