import { describe, expect, it } from "vitest";
import { realRecords, rec, runOne } from "./dup-test-utils";
import { duplicateRecord } from "./duplicate-record";

const positiveCopies = (records: { line: number }[], flags: ReturnType<typeof runOne>) =>
  records.flatMap((r, i) => (flags[i]!.some((f) => f.target === "positive") ? [r.line] : []));

describe("duplicate_record on real STS files", () => {
  it("ko_korsts_dev: the 5 pairs whose two sentences are identical", async () => {
    const records = await realRecords("ko_korsts_dev.tsv");
    const flags = runOne(duplicateRecord, records);
    expect(positiveCopies(records, flags)).toEqual([135, 143, 363, 1233, 1471]);
    const f = flags[records.findIndex((r) => r.line === 135)]!.find((x) => x.target === "positive")!;
    expect(f.score).toBe(1);
    expect(f.evidence.map((e) => [e.field, e.note])).toEqual([
      ["positive", "positive is identical to the query"],
      ["query", "the query it repeats"],
    ]);
  });
  it("ja_jsts_valid: the 4 identical pairs, and one more that differs only by a comma's position", async () => {
    const records = await realRecords("ja_jsts_valid.json");
    const flags = runOne(duplicateRecord, records);
    expect(positiveCopies(records, flags)).toEqual([21, 191, 276, 760, 974]);
    const r276 = records.find((r) => r.line === 276)!;
    expect(r276.query).toBe("椅子に座った子供が手づかみで、食事をしています。");
    expect(r276.positive.text).toBe("椅子に座った子供が、手づかみで食事をしています。");
    expect(
      [21, 191, 760, 974].every(
        (l) => records.find((r) => r.line === l)!.query === records.find((r) => r.line === l)!.positive.text,
      ),
    ).toBe(true);
  });
  it("points a repeated STS sentence to its first occurrence", async () => {
    const records = await realRecords("ja_jsts_valid.json");
    const flags = runOne(duplicateRecord, records);
    const queryFlags = flags.flatMap((f, i) => f.filter((x) => x.target === "query").map((x) => ({ i, x })));
    for (const { i, x } of queryFlags) {
      const m = /record #(\d+)/.exec(x.evidence[0]!.note);
      expect(m).not.toBeNull();
      const first = Number(m![1]);
      expect(first).toBeLessThan(i);
      if (x.evidence[0]!.note.startsWith("same query"))
        expect(records[first]!.query.replace(/[、。\s]/g, "")).toBe(
          records[i]!.query.replace(/[、。\s]/g, ""),
        );
    }
    expect(queryFlags.length).toBeGreaterThan(50);
  });
  it("finds no duplicate queries in the retrieval samples", async () => {
    for (const name of [
      "zh_t2ranking_100.jsonl",
      "flagemb_nq_scored.jsonl",
      "flagemb_msmarco_scored.jsonl",
    ]) {
      expect(runOne(duplicateRecord, await realRecords(name)).flat()).toEqual([]);
    }
  });
});

describe("duplicate_record rules", () => {
  const records = [
    rec("What is the capital of France?", "Paris is the capital.", ["n"]),
    rec("what is the capital of france", "Paris is the capital!", ["other n"]),
    rec("What is the capital of France", "Lyon is a big city.", ["n"]),
    rec("How old is Barack Obama, the former president?", "He was born in 1961.", ["n"]),
    rec("How old is Joe Biden, the former president?", "He was born in 1942.", ["n"]),
    rec("How old is Barack Obama the former US president?", "Born 1961.", ["n"]),
    rec("How old is Barack Obama, former president?", "Born in 1961.", ["n"]),
  ];
  it("flags later occurrences: same record, same query, near-identical query; not a changed name", () => {
    const notes = runOne(duplicateRecord, records).map((f) =>
      f.map((x) => `${x.target}:${x.score}:${x.evidence[0]!.note}`),
    );
    expect(notes).toEqual([
      [],
      ["query:1:same query and positive as record #0"],
      ["query:0.8:same query as record #0"],
      [],
      [],
      ["query:0.753:near-identical query to record #3 (94% of words shared)"], // "US" added: not a changed name
      ["query:0.747:near-identical query to record #3 (93% of words shared)"],
    ]);
  });
  it("sameTaskOnly keeps tasks apart", () => {
    const two = [
      rec("same query here", "p", [], [], { task: "task A" }),
      rec("same query here", "p", [], [], { task: "task B" }),
    ];
    expect(runOne(duplicateRecord, two).flat()).toHaveLength(1);
    expect(runOne(duplicateRecord, two, { sameTaskOnly: true }).flat()).toHaveLength(0);
  });
  it("can be limited to exact matches", () => {
    expect(runOne(duplicateRecord, records, { near: false }).flat()).toHaveLength(2);
    expect(runOne(duplicateRecord, records, { minSimilarity: 0.935 }).flat()).toHaveLength(3);
  });
});
