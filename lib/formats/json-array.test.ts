import { describe, expect, it } from "vitest";
import { jsonArrayObjects } from "./json-array";
import { collect, streamOf } from "./test-utils";

const summary = (events: Awaited<ReturnType<typeof collect>>) =>
  (events as { kind: string; line: number; value?: unknown; reason?: string }[]).map((e) =>
    e.kind === "object" ? { line: e.line, value: e.value } : { line: e.line, reason: e.reason },
  );

describe("jsonArrayObjects", () => {
  const pretty = [
    "[",
    "  {",
    '    "q": "brackets ] } [ { and \\"quotes\\" inside strings",',
    '    "n": [1, {"deep": [2]}]',
    "  },",
    '  {"q": "second", "esc": "back\\\\slash"}',
    "]",
    "",
  ].join("\n");

  it("streams elements with the line where each starts, whatever the chunk size", async () => {
    const expected = [
      { line: 2, value: { q: 'brackets ] } [ { and "quotes" inside strings', n: [1, { deep: [2] }] } },
      { line: 6, value: { q: "second", esc: "back\\slash" } },
    ];
    expect(summary(await collect(jsonArrayObjects(streamOf([pretty]))))).toEqual(expected);
    expect(summary(await collect(jsonArrayObjects(streamOf([pretty], 1))))).toEqual(expected);
    expect(summary(await collect(jsonArrayObjects(streamOf([pretty], 7))))).toEqual(expected);
  });

  it("reports a bad element with its line and keeps parsing the rest", async () => {
    const text = ['[{"a": 1},', '{"a": 2,, "b": 3},', '{"a": "unterminated', "},", "42,", '{"a": 5}]'].join(
      "\n",
    );
    const events = summary(await collect(jsonArrayObjects(streamOf([text]))));
    expect(events.map((e) => e.line)).toEqual([1, 2, 3, 5, 6]);
    expect(events[0]).toEqual({ line: 1, value: { a: 1 } });
    expect(events[1]?.reason).toMatch(/^invalid JSON: /);
    expect(events[2]?.reason).toMatch(/^invalid JSON: /);
    expect(events[3]).toEqual({ line: 5, reason: "expected a JSON object, got a number" });
    expect(events[4]).toEqual({ line: 6, value: { a: 5 } });
  });

  it("strips a BOM, and reports an unclosed array and trailing content", async () => {
    expect(summary(await collect(jsonArrayObjects(streamOf(['\uFEFF[{"a":1}]\n']))))).toEqual([
      { line: 1, value: { a: 1 } },
    ]);
    expect(summary(await collect(jsonArrayObjects(streamOf(['[{"a":1},\n{"a":2\n']))))).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, reason: "unexpected end of file inside this element (the JSON array is not closed)" },
    ]);
    expect(summary(await collect(jsonArrayObjects(streamOf(['[{"a":1}]\n{"b":2}']))))).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, reason: "unexpected content after the end of the JSON array" },
    ]);
  });

  it("reports an oversized element and goes on", async () => {
    const big = `{"t": "${"x".repeat(5000)}"}`;
    const events = summary(
      await collect(jsonArrayObjects(streamOf([`[\n${big},\n{"ok": true}\n]`], 512), { maxLineBytes: 1024 })),
    );
    expect(events).toEqual([
      { line: 2, reason: "element is 4.9 KB, over the 1 KB limit" },
      { line: 3, value: { ok: true } },
    ]);
  });

  it("reports invalid UTF-8 inside an element", async () => {
    const bytes = Buffer.concat([
      Buffer.from('[{"a": "'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"},\n{"a": "é"}]'),
    ]);
    expect(summary(await collect(jsonArrayObjects(streamOf([bytes]))))).toEqual([
      { line: 1, reason: "invalid UTF-8" },
      { line: 2, value: { a: "é" } },
    ]);
  });
});
