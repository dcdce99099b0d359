import { describe, expect, it } from "vitest";
import { csvRows } from "./csv";
import { collect, streamOf } from "./test-utils";

const rows = async (text: string, dialect: "csv" | "tsv", chunkSize?: number) =>
  (await collect(csvRows(streamOf([text], chunkSize), { dialect }))).map((e) =>
    e.kind === "object" ? { line: e.line, row: e.value } : { line: e.line, reason: e.reason },
  );

describe("csvRows", () => {
  it("reads CSV with RFC 4180 quoting, a BOM, CRLF, blank lines and a multi-line field", async () => {
    const text = '\uFEFFanchor,positive\r\n"a, b","say ""hi"""\r\n\r\n"multi\nline",x\r\nlast,row';
    const expected = [
      { line: 2, row: { anchor: "a, b", positive: 'say "hi"' } },
      { line: 4, row: { anchor: "multi\nline", positive: "x" } },
      { line: 6, row: { anchor: "last", positive: "row" } },
    ];
    expect(await rows(text, "csv")).toEqual(expected);
    expect(await rows(text, "csv", 3)).toEqual(expected);
  });

  it("reports rows with a wrong column count by line and keeps the others", async () => {
    const text = "a,b,c\n1,2,3\n4,5\n\n6,7,8,9\n10,11,12\n";
    expect(await rows(text, "csv")).toEqual([
      { line: 2, row: { a: "1", b: "2", c: "3" } },
      { line: 3, reason: "row has 2 columns, the header has 3" },
      { line: 5, reason: "row has 4 columns, the header has 3" },
      { line: 6, row: { a: "10", b: "11", c: "12" } },
    ]);
  });

  it("reads TSV with quoting off: bare quotes stay in the text", async () => {
    const text = 'score\tsentence1\tsentence2\n4.5\t"인용" 부호가 있는 문장\t그는 "안녕"이라고 말했다\n';
    expect(await rows(text, "tsv")).toEqual([
      {
        line: 2,
        row: { score: "4.5", sentence1: '"인용" 부호가 있는 문장', sentence2: '그는 "안녕"이라고 말했다' },
      },
    ]);
  });
});
