import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseInput, UnknownFormatError } from "./index";
import { openInput } from "./node";
import { collect, fixture, parseAll, parseText, streamOf } from "./test-utils";

const ok = (i: number) =>
  JSON.stringify({ query: `query ${i}`, pos: [`positive ${i}`], neg: [`negative ${i}`] });

describe("a malformed JSONL corpus: every bad line reported with its line number, the rest loads", () => {
  it("bad JSON, missing field, wrong type, empty text, invalid UTF-8, BOM, CRLF, blank lines", async () => {
    const parts: (string | Uint8Array)[] = [
      `\uFEFF${ok(1)}\r\n`, // 1: BOM at start, CRLF
      `{"query": "q", "pos": ["p"],}\r\n`, // 2: bad JSON
      `{"query": "q", "neg": ["n"]}\r\n`, // 3: missing field
      `{"query": "q", "pos": ["p"], "neg": ["a", 7]}\n`, // 4: wrong-typed field
      `{"query": "   ", "pos": ["p"]}\n`, // 5: empty text
      Buffer.concat([Buffer.from('{"query": "caf'), Buffer.from([0xe9]), Buffer.from('", "pos": ["p"]}\n')]), // 6: Latin-1 byte
      "\n", // 7: blank
      `${ok(8)}\n`, // 8
      `[${ok(9)}]\n`, // 9: not an object
      `${ok(10)}`, // 10: no final newline
    ];
    const p = await parseAll(streamOf(parts, 5), "corpus.jsonl");
    expect(p.format).toBe("flagembedding");
    expect(p.records.map((r) => [r.line, r.query])).toEqual([
      [1, "query 1"],
      [8, "query 8"],
      [10, "query 10"],
    ]);
    expect(p.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 9]);
    expect(p.errors[0]?.reason).toMatch(/^invalid JSON: /);
    expect(p.errors.slice(1)).toEqual([
      { line: 3, reason: 'missing field "pos"' },
      { line: 4, reason: '"neg" must be an array of strings (got number at neg[1])' },
      { line: 5, reason: 'empty text in "query"' },
      { line: 6, reason: "invalid UTF-8" },
      { line: 9, reason: "expected a JSON object, got an array" },
    ]);
  });

  it("a 10 MB line is reported as over the 8 MB limit and the next lines still load", async () => {
    const MiB = 1024 * 1024;
    async function* source(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(`${ok(1)}\n{"query": "`);
      const block = Buffer.alloc(MiB, 0x61);
      for (let i = 0; i < 10; i++) yield block;
      yield Buffer.from(`", "pos": ["p"]}\n${ok(3)}\n`);
    }
    const p = await parseAll(source(), "big.jsonl");
    expect(p.errors).toEqual([{ line: 2, reason: "line is 10.0 MB, over the 8 MB limit" }]);
    expect(p.records.map((r) => r.line)).toEqual([1, 3]);
  });

  it("maxLineBytes lowers the limit", async () => {
    const p = await parseText(
      "small.jsonl",
      `${ok(1)}\n${JSON.stringify({ query: "x".repeat(2000), pos: ["p"] })}\n`,
      {
        maxLineBytes: 1024,
      },
    );
    expect(p.errors).toEqual([{ line: 2, reason: "line is 2.0 KB, over the 1 KB limit" }]);
  });

  it("a bad element inside a JSON array is reported with its line, the others load", async () => {
    const text = [
      "[",
      `  ${ok(1)},`,
      '  {"query": "q", "pos": ["p"] "neg": []},',
      '  {"query": "q", "pos": "not a list", "neg": {}},',
      `  ${ok(4)}`,
      "]",
    ].join("\n");
    const p = await parseText("data.json", text);
    expect(p.container).toBe("json-array");
    expect(p.records.map((r) => [r.line, r.query])).toEqual([
      [2, "query 1"],
      [5, "query 4"],
    ]);
    expect(p.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(p.errors[0]?.reason).toMatch(/^invalid JSON: /);
    expect(p.errors[1]?.reason).toBe('"neg" must be an array of strings (got object)');
  });

  it("a .json file starting with { is read as JSON Lines", async () => {
    const p = await parseText("valid-v1.3.json", `${ok(1)}\n${ok(2)}\n`);
    expect(p.container).toBe("jsonl");
    expect(p.records).toHaveLength(2);
  });

  it("a CSV row with a wrong column count is reported, the others load", async () => {
    const p = await parseText("pairs.csv", "sentence1,sentence2,score\na,b,4.5\nc,d\ne,f,1,extra\ng,h,2\n");
    expect(p.records.map((r) => [r.line, r.query, r.positive.score])).toEqual([
      [2, "a", 4.5],
      [5, "g", 2],
    ]);
    expect(p.errors).toEqual([
      { line: 3, reason: "row has 2 columns, the header has 3" },
      { line: 4, reason: "row has 4 columns, the header has 3" },
    ]);
  });
});

describe("gzip", () => {
  it("decompresses gzip JSONL, detected by magic bytes (with or without .gz)", async () => {
    const gz = gzipSync(Buffer.from(`${ok(1)}\n${ok(2)}\n`));
    for (const name of ["data.jsonl.gz", "data.jsonl"]) {
      const p = await parseAll(streamOf([gz], 7), name);
      expect(p.container).toBe("gzip+jsonl");
      expect(p.records.map((r) => r.query)).toEqual(["query 1", "query 2"]);
    }
  });

  it("decompresses a gzip JSON array, sniffing [ when the name says nothing", async () => {
    const gz = gzipSync(Buffer.from(`[\n${ok(1)},\n${ok(2)}\n]`));
    const p = await parseAll(streamOf([gz]), "upload.bin");
    expect(p.container).toBe("gzip+json-array");
    expect(p.records.map((r) => r.line)).toEqual([2, 3]);
  });

  it("decompresses gzip TSV by the inner name", async () => {
    const gz = gzipSync(Buffer.from('sentence1\tsentence2\tscore\n"a\tb\t1\n'));
    const p = await parseAll(streamOf([gz]), "sts.tsv.gz");
    expect(p.container).toBe("gzip+tsv");
    expect(p.records[0]).toMatchObject({ query: '"a', positive: { text: "b", score: 1 } });
  });

  it("refuses gzip-compressed parquet, and reports truncated gzip data", async () => {
    const err = await parseAll(streamOf([gzipSync(Buffer.from("PAR1xxxx"))]), "t.parquet.gz").catch((e) => e);
    expect(err).toBeInstanceOf(UnknownFormatError);
    expect(err.message).toContain("gzip-compressed parquet is not supported");
    const gz = gzipSync(Buffer.from(`${ok(1)}\n`.repeat(2000)));
    const truncated = await parseAll(streamOf([gz.subarray(0, gz.length - 20)]), "t.jsonl.gz").catch(
      (e) => e,
    );
    expect(truncated).toBeInstanceOf(Error);
    expect(truncated.message).toMatch(/^gzip data is corrupt or truncated/);
  });
});

describe("parquet", () => {
  it("reads rows one row group at a time, numbering rows from 1, converting int64", async () => {
    const opened = await openInput(fixture("parquet", "st_triplets.parquet"));
    expect(Symbol.asyncIterator in opened.source).toBe(false);
    const parsed = await parseInput(opened);
    expect(parsed.format).toBe("sentence-transformers");
    expect(parsed.container).toBe("parquet");
    const events = await collect(parsed.events);
    expect(events.map((e) => [e.kind, e.line])).toEqual([
      ["record", 1],
      ["record", 2],
      ["record", 3],
      ["record", 4],
      ["error", 5],
      ["record", 6],
    ]);
    expect(events[4]).toEqual({ kind: "error", line: 5, reason: 'empty text in "negative"' });
    const fourth = events[3];
    expect(fourth?.kind === "record" && fourth.record).toMatchObject({
      query: "서울의 인구는 얼마인가",
      positive: { text: "서울특별시의 인구는 약 940만 명으로 대한민국에서 가장 많다.", score: 0.8 },
      negatives: [{ text: "부산은 대한민국 제2의 도시이다." }],
      meta: { id: 4 },
      language: "ko",
    });
  });

  it("a parquet file given as a stream is refused with a clear message", async () => {
    const err = await parseAll(streamOf(["PAR1\0\0\0\0"]), "x.parquet").catch((e) => e);
    expect(err).toBeInstanceOf(UnknownFormatError);
    expect(err.message).toContain("needs random access");
  });
});
