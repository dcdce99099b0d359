import { describe, expect, it } from "vitest";
import { jsonlObjects, splitLines } from "./lines";
import { collect, streamOf } from "./test-utils";

describe("splitLines", () => {
  it("numbers lines from 1, skips blank ones but keeps counting, keeps a last line without newline", async () => {
    const lines = await collect(splitLines(streamOf(["a\n\n   \nb\n\t\nc"])));
    expect(lines).toEqual([
      { line: 1, text: "a" },
      { line: 4, text: "b" },
      { line: 6, text: "c" },
    ]);
  });

  it("strips a UTF-8 BOM at the start of the file only, and \\r before \\n", async () => {
    const lines = await collect(splitLines(streamOf(["\uFEFFfirst\r\nsecond\r\n\uFEFFthird\r\n"])));
    expect(lines).toEqual([
      { line: 1, text: "first" },
      { line: 2, text: "second" },
      { line: 3, text: "\uFEFFthird" },
    ]);
  });

  it("gives the same lines whatever the chunk boundaries (1-byte chunks, multi-byte characters)", async () => {
    const text = '\uFEFF{"q":"鹦鹉"}\r\n\n한국어 줄\nlast';
    const whole = await collect(splitLines(streamOf([text])));
    const bytewise = await collect(splitLines(streamOf([text], 1)));
    expect(bytewise).toEqual(whole);
    expect(whole.map((l) => l.line)).toEqual([1, 3, 4]);
    expect(whole[1]?.text).toBe("한국어 줄");
  });

  it("reports invalid UTF-8 for that line only", async () => {
    const bad = Buffer.from([0x7b, 0x22, 0x61, 0xff, 0xfe, 0x22, 0x7d]);
    const lines = await collect(splitLines(streamOf(["ok\n", bad, "\nstill ok\n"])));
    expect(lines).toEqual([
      { line: 1, text: "ok" },
      { line: 2, error: "invalid UTF-8" },
      { line: 3, text: "still ok" },
    ]);
  });

  it("reports an oversized line with its size and goes on with the next line", async () => {
    const lines = await collect(
      splitLines(streamOf(["short\n", "x".repeat(3000), "\nnext\n"], 256), { maxLineBytes: 1024 }),
    );
    expect(lines).toEqual([
      { line: 1, text: "short" },
      { line: 2, error: "line is 2.9 KB, over the 1 KB limit" },
      { line: 3, text: "next" },
    ]);
  });

  it("reports an oversized last line without a newline", async () => {
    const lines = await collect(splitLines(streamOf(["a\n", "y".repeat(2048)], 100), { maxLineBytes: 1024 }));
    expect(lines).toEqual([
      { line: 1, text: "a" },
      { line: 2, error: "line is 2.0 KB, over the 1 KB limit" },
    ]);
  });

  it("skips a 10 MB line under the default 8 MB limit without holding it", async () => {
    const MiB = 1024 * 1024;
    let held = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('{"a":1}\n');
      const block = Buffer.alloc(MiB, 0x78);
      for (let i = 0; i < 10; i++) yield block;
      yield Buffer.from('\n{"b":2}\n');
    }
    const out = [];
    for await (const l of splitLines(source())) {
      out.push(l);
      held = Math.max(held, l.text?.length ?? 0);
    }
    expect(out).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, error: "line is 10.0 MB, over the 8 MB limit" },
      { line: 3, text: '{"b":2}' },
    ]);
    expect(held).toBeLessThan(100);
  });
});

describe("jsonlObjects", () => {
  it("parses objects and reports bad JSON and non-objects with their line", async () => {
    const events = await collect(jsonlObjects(streamOf(['{"a":1}\n{"a":\n[1,2]\n"s"\nnull\n{"b":2}'])));
    expect(events.map((e) => [e.kind, e.line])).toEqual([
      ["object", 1],
      ["error", 2],
      ["error", 3],
      ["error", 4],
      ["error", 5],
      ["object", 6],
    ]);
    const reasons = events.flatMap((e) => (e.kind === "error" ? [e.reason] : []));
    expect(reasons[0]).toMatch(/^invalid JSON: /);
    expect(reasons.slice(1)).toEqual([
      "expected a JSON object, got an array",
      "expected a JSON object, got a string",
      "expected a JSON object, got null",
    ]);
  });
});
