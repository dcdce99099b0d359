import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonArrayObjects } from "./json-array";
import type { ObjectEvent } from "./source";
import {
  chunkSizesArb,
  collect,
  INVALID_UTF8,
  jsonObjectArb,
  lineCount,
  nastyBytesArb,
  nastyTextArb,
  rechunk,
  streamOf,
} from "./test-utils";

const parse = (bytes: Uint8Array, sizes: readonly number[], maxLineBytes?: number) =>
  collect(jsonArrayObjects(rechunk(bytes, sizes), { maxLineBytes }));

const shape = (events: ObjectEvent[]) =>
  events.map((e) => (e.kind === "object" ? { line: e.line, value: e.value } : { line: e.line, error: true }));

const wsArb = fc
  .array(fc.constantFrom(" ", "\n", "\r\n", "\t"), { maxLength: 3 })
  .map((parts) => parts.join(""));

/** An array element: a valid object, or a broken one whose brackets and quotes still balance. */
type Element = { text: string | Buffer; value?: unknown };

const brokenElementArb: fc.Arbitrary<Element> = fc.oneof(
  // Valid JSON that is not an object.
  fc
    .jsonValue({ maxDepth: 2 })
    .filter((v) => typeof v !== "object" || v === null || Array.isArray(v))
    .map((v) => ({ text: JSON.stringify(v) })),
  // Objects with a syntax error that leaves the brackets balanced.
  jsonObjectArb().map((o) => ({ text: `{,${JSON.stringify(o).slice(1)}` })),
  jsonObjectArb().map((o) => ({ text: `${JSON.stringify(o).slice(0, -1)},}` })),
  fc
    .constantFrom(
      '{"k": tru}',
      '{"k": 01}',
      '{"k": NaN}',
      '{"k": Infinity}',
      "{'k': 1}",
      '{"k": "a" "b"}',
      '{"k": undefined}',
      '{"k": "\\x"}',
      '{"k" 1}',
      '{"k": [1, 2,]}',
      '{"k": {"n": }}',
      '{"k": "a\u0001b"}',
      '{"k": "nul\u0000"}',
      '{"k": "escaped \\\nnewline"}',
    )
    .map((text) => ({ text })),
  fc
    .constantFrom(...INVALID_UTF8)
    .map((bad) => ({ text: Buffer.concat([Buffer.from('{"k": "'), Buffer.from(bad), Buffer.from('"}')]) })),
  fc.integer({ min: 1, max: 300 }).map((d) => ({ text: `${"[".repeat(d)}${"]".repeat(d)}` })),
);

const validElementArb = fc
  .tuple(jsonObjectArb(), fc.constantFrom<undefined | number | string>(undefined, 2, "\t"))
  .map(([value, indent]) => ({ text: JSON.stringify(value, null, indent), value }));

/** A JSON array text from elements and whitespace, with the line each element starts on. */
function arrayText(
  elements: { el: Element; before: string; after: string }[],
  bom: boolean,
  outer: [string, string, string],
): { bytes: Buffer; starts: number[] } {
  const parts: Buffer[] = [Buffer.from(`${bom ? "\uFEFF" : ""}${outer[0]}[`)];
  const starts: number[] = [];
  let lines = lineCount(parts[0] as Buffer);
  const push = (b: Buffer) => {
    parts.push(b);
    lines += lineCount(b) - 1;
  };
  elements.forEach(({ el, before, after }, i) => {
    push(Buffer.from(before));
    starts.push(lines);
    push(typeof el.text === "string" ? Buffer.from(el.text) : el.text);
    push(Buffer.from(after + (i < elements.length - 1 ? "," : "")));
  });
  push(Buffer.from(`${outer[1]}]${outer[2]}`));
  return { bytes: Buffer.concat(parts), starts };
}

describe("jsonArrayObjects (property)", () => {
  it("round trip: any array of objects, any layout and chunking, loads every element with its start line", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ el: validElementArb, before: wsArb, after: wsArb }), { maxLength: 12 }),
        fc.boolean(),
        fc.tuple(wsArb, wsArb, wsArb),
        chunkSizesArb,
        async (elements, bom, outer, sizes) => {
          const { bytes, starts } = arrayText(elements, bom, outer);
          const events = await parse(bytes, sizes);
          expect(shape(events)).toEqual(elements.map(({ el }, i) => ({ line: starts[i], value: el.value })));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("valid and broken elements mixed: every object loads, every broken element is reported once at its line", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            el: fc.oneof(validElementArb, brokenElementArb),
            before: wsArb.map((w) => `\n${w}`),
            after: wsArb,
          }),
          { minLength: 1, maxLength: 15 },
        ),
        fc.boolean(),
        chunkSizesArb,
        async (elements, bom, sizes) => {
          const { bytes, starts } = arrayText(elements, bom, ["", "\n", "\n"]);
          const events = await parse(bytes, sizes);
          expect(shape(events)).toEqual(
            elements.map(({ el }, i) =>
              el.value === undefined
                ? { line: starts[i], error: true }
                : { line: starts[i], value: el.value },
            ),
          );
          for (const e of events) if (e.kind === "error") expect(e.reason.trim()).not.toBe("");
        },
      ),
      { numRuns: 200 },
    );
  });

  it("random and truncated input: never throws, same events whatever the chunking, lines within the input", async () => {
    const jsonish = fc
      .array(
        fc.oneof(
          nastyBytesArb(4),
          fc
            .constantFrom("[", "]", "{", "}", '"', "\\", ",", ":", "\n", '{"a": ', '"x"', "1e400", "\uFEFF")
            .map((s) => Buffer.from(s)),
          jsonObjectArb().map((o) => Buffer.from(JSON.stringify(o))),
        ),
        { maxLength: 25 },
      )
      .map((pieces) => Buffer.concat(pieces));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc
            .tuple(fc.constantFrom("", "\uFEFF", "\uFEFF["), jsonish)
            .map(([start, b]) => Buffer.concat([Buffer.from(`${start}[`), b])),
          jsonish,
          nastyBytesArb(),
        ),
        chunkSizesArb,
        fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 64 })),
        async (bytes, sizes, max) => {
          const whole = await parse(bytes, [Math.max(1, bytes.length)], max);
          expect(await parse(bytes, sizes, max)).toEqual(whole);
          const last = lineCount(bytes);
          let prev = 1;
          for (const e of whole) {
            expect(e.line).toBeGreaterThanOrEqual(prev);
            expect(e.line).toBeLessThanOrEqual(last);
            prev = e.line;
            if (e.kind === "error") expect(e.reason.trim()).not.toBe("");
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a truncated array reports the cut, keeps every complete element before it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(validElementArb, { minLength: 1, maxLength: 6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (elements, f) => {
          const { bytes } = arrayText(
            elements.map((el) => ({ el, before: "\n", after: "" })),
            false,
            ["", "\n", ""],
          );
          const cut = Math.floor(f * (bytes.length - 1));
          const events = await parse(bytes.subarray(0, cut), [7]);
          const last = events.at(-1);
          expect(last?.kind).toBe("error");
          const objects = events.filter((e) => e.kind === "object").map((e) => e.value);
          expect(objects).toEqual(elements.slice(0, objects.length).map((e) => e.value));
          expect(events.filter((e) => e.kind === "error")).toHaveLength(1);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("nasty strings inside elements (quotes, escapes, brackets, U+2028, lone surrogates) round-trip", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(nastyTextArb(20), { maxLength: 8 }), chunkSizesArb, async (texts, sizes) => {
        const values = texts.map((t, i) => ({ [t]: t, i }));
        const events = await collect(jsonArrayObjects(rechunk(Buffer.from(JSON.stringify(values)), sizes)));
        expect(events.map((e) => (e.kind === "object" ? e.value : e))).toEqual(values);
      }),
      { numRuns: 150 },
    );
  });
});

describe("jsonArrayObjects regressions (found by the properties)", () => {
  it("a BOM split across chunks is still stripped", async () => {
    const events = await collect(jsonArrayObjects(streamOf(['\uFEFF[{"a":1}]'], 1)));
    expect(events).toEqual([{ kind: "object", line: 1, value: { a: 1 } }]);
  });

  it("a newline right after a backslash inside a string still counts as a line", async () => {
    const events = await collect(jsonArrayObjects(streamOf(['[\n{"a": "x\\\ny"},\n{"b": 2}\n]'])));
    expect(events.map((e) => [e.kind, e.line])).toEqual([
      ["error", 2],
      ["object", 4],
    ]);
  });
});
