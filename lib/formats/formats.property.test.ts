import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FormatId } from "./format";
import { contentHash, detectFormat, FORMAT_IDS, FORMATS, parseInput } from "./index";
import { chunkSizesArb, collect, nastyTextArb, parseText, rechunk } from "./test-utils";
import { type CanonicalRecord, canonicalRecordSchema, type Passage } from "./types";

/**
 * Property tests of the four format parsers (toRecord + detection), alone and through parseInput.
 * Each generator yields an input object and the record it must convert to (`want`: the fields that
 * the input determines; the guessed language is only checked to be well-formed).
 */

type Obj = Record<string, unknown>;
type Want = Partial<CanonicalRecord>;
/** `required`: fields whose deletion or wrong value must be rejected with a reason naming them. */
type Case = { format: FormatId; obj: Obj; want: Want; required: string[] };

/** Keys and values that trip up lookups in plain objects. */
const PROTO_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"] as const;

/** A non-blank text; lone surrogates and NULs included (JSON escapes them). */
const textArb = fc.oneof(
  { weight: 5, arbitrary: nastyTextArb(30).filter((s) => s.trim() !== "") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...PROTO_KEYS, "1e999", "NaN", "null", "short-short", "symmetric_sts"),
  },
);
const numberArb = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
/** Extra fields kept in meta: keys that no format reads. */
const extrasArb = fc.dictionary(
  nastyTextArb(6).map((k) => `x_${k}`),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown),
  { maxKeys: 3 },
);
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const defined = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const passage = (text: string, score?: number, meta?: Obj): Passage =>
  defined({ text, score, meta }) as unknown as Passage;

// ---------------------------------------------------------------------------------------------
// Valid input objects, one generator per format (variant).

const flagArb: fc.Arbitrary<Case> = fc
  .record({
    query: textArb,
    pos: fc.array(textArb, { minLength: 1, maxLength: 3 }),
    neg: opt(fc.array(textArb, { maxLength: 3 })),
    scored: fc.boolean(),
    prompt: opt(textArb),
    type: opt(
      fc.constantFrom("normal", "only_1neg", "symmetric_sts", "symmetric_class", "symmetric_clustering"),
    ),
    extras: extrasArb,
  })
  .chain((r) =>
    fc
      .tuple(
        fc.array(numberArb, { minLength: r.pos.length, maxLength: r.pos.length }),
        fc.array(numberArb, { minLength: r.neg?.length ?? 0, maxLength: r.neg?.length ?? 0 }),
      )
      .map(([posScores, negScores]): Case => {
        const obj = defined({
          ...r.extras,
          query: r.query,
          pos: r.pos,
          neg: r.neg,
          pos_scores: r.scored ? posScores : undefined,
          neg_scores: r.scored && r.neg ? negScores : undefined,
          prompt: r.prompt,
          type: r.type,
        });
        const positives = r.pos.map((t, i) => passage(t, r.scored ? posScores[i] : undefined));
        return {
          format: "flagembedding",
          obj,
          want: {
            query: r.query,
            task: r.prompt,
            positive: positives[0],
            extraPositives: positives.slice(1),
            negatives: (r.neg ?? []).map((t, i) => passage(t, r.scored ? negScores[i] : undefined)),
            params: {},
            meta: defined({ ...r.extras, type: r.type }),
          },
          required: ["query", "pos"],
        };
      }),
  );

const gritArb: fc.Arbitrary<Case> = fc
  .record({
    instr: fc.oneof(fc.constant(""), textArb),
    query: textArb,
    pos: fc.array(fc.tuple(fc.oneof(fc.constant(""), textArb), textArb), { minLength: 1, maxLength: 3 }),
    neg: fc.array(fc.tuple(fc.oneof(fc.constant(""), textArb), textArb), { maxLength: 3 }),
    extras: extrasArb,
  })
  .map(
    (r): Case => ({
      format: "flagembedding",
      obj: { ...r.extras, query: [r.instr, r.query], pos: r.pos, neg: r.neg },
      want: {
        query: r.query,
        task: r.instr.trim() === "" ? undefined : r.instr,
        positive: passage(r.pos[0]?.[1] as string, undefined, { instruction: r.pos[0]?.[0] }),
        extraPositives: r.pos.slice(1).map(([i, t]) => passage(t, undefined, { instruction: i })),
        negatives: r.neg.map(([i, t]) => passage(t, undefined, { instruction: i })),
        meta: defined({
          ...r.extras,
          variant: "gritlm",
          queryInstruction: r.instr.trim() === "" ? r.instr : undefined,
        }),
      },
      required: ["query", "pos"],
    }),
  );

const E5_SHAPES = {
  "short-long": ["user_query", "positive_document", "hard_negative_document"],
  "long-short": ["input_text", "label", "misleading_label"],
  pair: ["input", "positive_document"],
  sts: ["S1", "S2", "S3"],
} as const;

const e5Arb: fc.Arbitrary<Case> = fc
  .record({
    shape: fc.constantFrom(...(Object.keys(E5_SHAPES) as (keyof typeof E5_SHAPES)[])),
    texts: fc.array(textArb, { minLength: 4, maxLength: 4 }),
    pairNegative: fc.boolean(),
    pairFamily: fc.constantFrom("short-short", "long-long", "text_matching_short", "Long-Long"),
    id: opt(fc.oneof(textArb, fc.integer())),
    task: opt(textArb),
    params: opt(fc.dictionary(nastyTextArb(8), fc.oneof(textArb, numberArb, fc.boolean()), { maxKeys: 4 })),
    nesting: fc.constantFrom("flat", "output", "response-string", "response-fenced"),
    extras: extrasArb,
  })
  .map((r): Case => {
    const keys: string[] = [...E5_SHAPES[r.shape]];
    if (r.shape === "pair" && r.pairNegative) keys.push("hard_negative_document");
    const gen: Obj = Object.fromEntries(keys.map((k, i) => [k, r.texts[i]]));
    const [a, b, c] = r.texts as [string, string, string];
    if (r.shape === "pair") gen.task_family = r.pairFamily;
    const envelope = defined({ ...r.extras, id: r.id, task: r.task, params: r.params });
    let obj: Obj;
    let nesting: string | undefined;
    if (r.nesting === "flat") obj = { ...envelope, ...gen };
    else if (r.nesting === "output") {
      obj = { ...envelope, output: gen };
      nesting = "output";
    } else {
      const json = JSON.stringify(gen, null, r.nesting === "response-fenced" ? 2 : undefined);
      obj = { ...envelope, response: r.nesting === "response-fenced" ? `\`\`\`json\n${json}\n\`\`\`` : json };
      nesting = "response (JSON string)";
    }
    const family = {
      "short-long": "short-long",
      "long-short": "long-short",
      pair: r.pairFamily.toLowerCase().includes("long") ? "long-long" : "short-short",
      sts: "sts",
    } as const;
    return {
      format: "e5",
      obj,
      want: {
        externalId: r.id === undefined ? undefined : String(r.id),
        task: r.task,
        taskFamily: family[r.shape],
        query: a,
        positive: passage(b),
        extraPositives: [],
        negatives: r.shape === "pair" && !r.pairNegative ? [] : [passage(c)],
        label: r.shape === "long-short" ? b : undefined,
        misleadingLabel: r.shape === "long-short" ? c : undefined,
        params: r.params ?? {},
        // A field beside the generated ones (task_family) goes to meta when they are nested.
        meta: defined({
          ...r.extras,
          nesting,
          task_family: nesting && r.shape === "pair" ? r.pairFamily : undefined,
        }),
      },
      required: r.nesting === "flat" ? E5_SHAPES[r.shape].slice() : [],
    };
  });

const stAnchorArb: fc.Arbitrary<Case> = fc
  .record({
    anchorKey: fc.constantFrom("anchor", "query", "question"),
    anchor: textArb,
    positive: textArb,
    negatives: fc.array(textArb, { maxLength: 3 }),
    numbered: fc.boolean(),
    score: opt(fc.oneof(numberArb, numberArb.map(String))),
    extras: extrasArb,
  })
  .map((r): Case => {
    const negKeys = r.negatives.map((_, i) =>
      r.numbered ? `negative_${i + 1}` : i === 0 ? "negative" : `negative_${i}`,
    );
    const obj = defined({
      ...r.extras,
      [r.anchorKey]: r.anchor,
      positive: r.positive,
      score: r.score,
      ...Object.fromEntries(negKeys.map((k, i) => [k, r.negatives[i]])),
    });
    return {
      format: "sentence-transformers",
      obj,
      want: {
        query: r.anchor,
        positive: passage(r.positive, r.score === undefined ? undefined : Number(r.score)),
        extraPositives: [],
        negatives: r.negatives.map((t) => passage(t)),
        params: {},
        meta: r.extras,
      },
      // Deleting "query" makes the anchor column default to "anchor", which the reason then names.
      required: [r.anchorKey, "positive"],
    };
  });

const stPairArb: fc.Arbitrary<Case> = fc
  .record({
    s1: textArb,
    s2: textArb,
    scoreKey: fc.constantFrom("score", "label", undefined),
    score: fc.oneof(numberArb, numberArb.map(String)),
    extras: extrasArb,
  })
  .map(
    (r): Case => ({
      format: "sentence-transformers",
      obj: defined({
        ...r.extras,
        sentence1: r.s1,
        sentence2: r.s2,
        ...(r.scoreKey ? { [r.scoreKey]: r.score } : {}),
      }),
      want: {
        query: r.s1,
        positive: passage(r.s2, r.scoreKey ? Number(r.score) : undefined),
        negatives: [],
        meta: r.extras,
        ...(r.scoreKey ? { taskFamily: "sts" as const } : {}),
      },
      required: ["sentence1", "sentence2"],
    }),
  );

const tevatronPassageArb = fc.record(
  {
    docid: fc.oneof(textArb, fc.integer()),
    title: fc.string({ maxLength: 10 }),
    text: textArb,
    score: numberArb,
  },
  { requiredKeys: ["text"] },
);

const tevatronArb: fc.Arbitrary<Case> = fc
  .record({
    queryId: opt(fc.oneof(textArb, fc.integer())),
    query: textArb,
    positives: fc.array(tevatronPassageArb, { minLength: 1, maxLength: 3 }),
    negatives: opt(fc.array(tevatronPassageArb, { maxLength: 3 })),
    extras: extrasArb,
  })
  .map((r): Case => {
    const toPassage = ({ text, score, ...meta }: { text: string; score?: number }) =>
      passage(text, score, Object.keys(meta).length > 0 ? meta : undefined);
    const positives = r.positives.map(toPassage);
    return {
      format: "tevatron",
      obj: defined({
        ...r.extras,
        query_id: r.queryId,
        query: r.query,
        positive_passages: r.positives,
        negative_passages: r.negatives,
      }),
      want: {
        externalId: r.queryId === undefined ? undefined : String(r.queryId),
        query: r.query,
        positive: positives[0],
        extraPositives: positives.slice(1),
        negatives: (r.negatives ?? []).map(toPassage),
        params: {},
        meta: r.extras,
      },
      required: ["query", "positive_passages"],
    };
  });

const GENERATORS: Record<string, fc.Arbitrary<Case>> = {
  flagembedding: flagArb,
  gritlm: gritArb,
  e5: e5Arb,
  "sentence-transformers (anchor)": stAnchorArb,
  "sentence-transformers (pair)": stPairArb,
  tevatron: tevatronArb,
};
const anyCaseArb = fc.oneof(...Object.values(GENERATORS));
const FORMAT_GENERATORS: Record<FormatId, fc.Arbitrary<Case>> = {
  flagembedding: fc.oneof(flagArb, gritArb),
  e5: e5Arb,
  "sentence-transformers": fc.oneof(stAnchorArb, stPairArb),
  tevatron: tevatronArb,
};

/** What a record must satisfy whatever its input: the canonical schema, JSON-storable, hashable. */
function expectWellFormed(record: CanonicalRecord) {
  const checked = canonicalRecordSchema.safeParse(record);
  expect(checked.success, checked.error?.message).toBe(true);
  expect(() => JSON.stringify(record)).not.toThrow();
  expect(contentHash(record)).toMatch(/^[0-9a-f]{32}$/);
}

const asRead = (obj: Obj): Obj => JSON.parse(JSON.stringify(obj));

/** The record has exactly the wanted value for every key of `want` (undefined: absent). */
function expectRecord(record: CanonicalRecord, want: Want) {
  for (const [k, v] of Object.entries(want)) expect(record[k as keyof CanonicalRecord], k).toEqual(v);
}

// ---------------------------------------------------------------------------------------------
// Broken input: arbitrary objects, and valid ones with a field deleted or retyped.

const junkValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  textArb,
  fc.constantFrom(
    1e308,
    -1e308,
    5e-324,
    Number.MAX_SAFE_INTEGER + 2,
    "1e999",
    "-1e999",
    " 12 ",
    "",
    "   ",
    "\u0000",
    null,
    [],
    {},
    [[]],
    ["", ""],
    [1, 2],
    ["i", 3],
    [["i", ""]],
    [{ text: "" }],
    [{ text: 5 }],
    [{}],
    ...PROTO_KEYS,
    '{"S1": "a", "S2": "b", "S3": 4}',
    '```json\n{"user_query": "q"}\n```',
    "```\nnot json\n```",
    "[1]",
  ),
  fc.array(textArb, { maxLength: 3 }),
  fc.array(fc.tuple(fc.oneof(textArb, fc.constant("")), textArb), { maxLength: 2 }),
  fc.array(fc.dictionary(fc.constantFrom("text", "docid", "title", "score"), fc.jsonValue({ maxDepth: 1 })), {
    maxLength: 2,
  }),
  anyCaseArb.map((c) => JSON.stringify(c.obj)),
);

const KNOWN_KEYS = [
  "query",
  "pos",
  "neg",
  "pos_scores",
  "neg_scores",
  "prompt",
  "type",
  "user_query",
  "positive_document",
  "hard_negative_document",
  "input_text",
  "label",
  "misleading_label",
  "input",
  "S1",
  "S2",
  "S3",
  "output",
  "response",
  "task",
  "task_definition",
  "instruction",
  "task_family",
  "family",
  "task_type",
  "id",
  "params",
  "language",
  "num_words",
  "source_language",
  "target_language",
  "anchor",
  "question",
  "positive",
  "negative",
  "negative_1",
  "negative_2",
  "score",
  "labels",
  "sentence1",
  "sentence2",
  "query_id",
  "positive_passages",
  "negative_passages",
  ...PROTO_KEYS,
];

const junkObjectArb: fc.Arbitrary<Obj> = fc.oneof(
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...KNOWN_KEYS), nastyTextArb(6)), junkValueArb), {
      maxLength: 8,
    })
    .map((entries) => Object.fromEntries(entries)),
  // A valid object with random fields overwritten or deleted.
  fc
    .tuple(
      anyCaseArb,
      fc.array(fc.tuple(fc.constantFrom(...KNOWN_KEYS), fc.option(junkValueArb, { nil: undefined })), {
        minLength: 1,
        maxLength: 3,
      }),
    )
    .map(([c, edits]) => {
      const obj: Obj = { ...c.obj };
      for (const [k, v] of edits) {
        if (v === undefined) delete obj[k];
        else
          Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      return obj;
    }),
);

/** Values that a required field must not hold (its type is wrong, or the text is blank). */
const wrongValueArb = fc.constantFrom<unknown>(
  null,
  0,
  Number.POSITIVE_INFINITY,
  true,
  {},
  [],
  [1],
  "",
  "   ",
  "\t\n",
);

// ---------------------------------------------------------------------------------------------

describe("format parsers (property)", () => {
  it.each(Object.keys(GENERATORS))("%s: valid objects convert to what was written", (name) => {
    fc.assert(
      fc.property(GENERATORS[name] as fc.Arbitrary<Case>, (c) => {
        const obj = asRead(c.obj);
        expect(detectFormat(obj)).toBe(c.format);
        const r = FORMATS[c.format].toRecord(obj);
        if (!r.ok) throw new Error(`rejected: ${r.reason}`);
        expectRecord(r.record, c.want);
        expectWellFormed(r.record);
      }),
      { numRuns: 150 },
    );
  });

  it("arbitrary and mangled objects: toRecord never throws; a record is well-formed, a rejection has a reason", () => {
    fc.assert(
      fc.property(junkObjectArb, (obj) => {
        expect(() => detectFormat(obj)).not.toThrow();
        for (const id of FORMAT_IDS) {
          const r = FORMATS[id].toRecord(obj);
          if (r.ok) expectWellFormed(r.record);
          else {
            expect(typeof r.reason).toBe("string");
            expect(r.reason.trim()).not.toBe("");
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("sentence-transformers: a score given as text (CSV) is a finite number, or the row is rejected", () => {
    const numeral = fc
      .tuple(
        fc.constantFrom("", "-", "+", " "),
        fc.stringMatching(/^(\d{1,400}(\.\d{0,20})?|\.\d{1,20})$/),
        fc
          .constantFrom("", "e", "E-", "e+")
          .chain((e) =>
            e === "" ? fc.constant("") : fc.integer({ min: 0, max: 9999 }).map((n) => `${e}${n}`),
          ),
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(
        stAnchorArb,
        stPairArb,
        numeral,
        fc.constantFrom("score", "label"),
        (anchor, pair, score, key) => {
          for (const obj of [
            { ...anchor.obj, score },
            { ...pair.obj, score: undefined, [key]: score },
          ]) {
            const r = FORMATS["sentence-transformers"].toRecord(asRead(obj));
            const n = Number(score);
            if (Number.isFinite(n)) expect(r.ok && r.record.positive.score).toBe(n);
            // Out of range: a score is rejected; an STS label that is not a number stays in meta.
            else if (r.ok) expect(r.record.positive.score).toBeUndefined();
            else expect(r.reason).toMatch(/"score"/);
            if (r.ok) expectWellFormed(r.record);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a required field deleted or given a wrong value: rejected, with a reason naming the field", () => {
    fc.assert(
      fc.property(
        anyCaseArb.filter((c) => c.required.length > 0),
        fc.nat(),
        fc.option(wrongValueArb, { nil: undefined }),
        (c, pick, value) => {
          const key = c.required[pick % c.required.length] as string;
          const obj = asRead(c.obj);
          if (value === undefined) delete obj[key];
          else obj[key] = value;
          const r = FORMATS[c.format].toRecord(obj);
          expect(r.ok).toBe(false);
          if (!r.ok) {
            expect(r.reason.trim()).not.toBe("");
            // A deleted key can make the parser look for another one: E5 picks its shape from the keys
            // present, and sentence-transformers' anchor column defaults to "anchor".
            const renamed =
              c.format === "e5" ||
              (c.format === "sentence-transformers" && (key === "query" || key === "question"));
            if (value !== undefined || !renamed) expect(r.reason).toContain(`"${key}`);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** A JSONL line: a valid record (with what it must convert to), a broken one, or a blank line. */
type Line =
  | { kind: "record"; text: string; want: Want }
  | { kind: "error"; text: string }
  | { kind: "blank"; text: string };

const brokenLineArb = (format: FormatId): fc.Arbitrary<Line> =>
  fc.oneof(
    // A valid object of this format, mangled until the format rejects it.
    junkObjectArb
      .filter((o) => !FORMATS[format].toRecord(asRead(o)).ok)
      .map((o) => ({ kind: "error" as const, text: JSON.stringify(o) })),
    // Not a JSON object: truncated, junk, another JSON value.
    anyCaseArb.chain((c) =>
      fc.nat().map((n) => {
        const s = JSON.stringify(c.obj);
        return { kind: "error" as const, text: s.slice(0, 1 + (n % (s.length - 1))) };
      }),
    ),
    fc
      .constantFrom("[]", "null", '"text"', "42", "{", "}", "{]", "nope", '{"a":1}}', "\u0000")
      .map((text) => ({
        kind: "error" as const,
        text,
      })),
  );

describe("parseInput over JSON Lines (property)", () => {
  it("valid, broken and blank lines mixed, any chunking: each valid line loads, each broken one is reported once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FORMAT_IDS).chain((format) =>
          fc.record({
            format: fc.constant(format),
            lines: fc.array(
              fc.oneof(
                {
                  weight: 3,
                  arbitrary: FORMAT_GENERATORS[format].map(
                    (c): Line => ({ kind: "record", text: JSON.stringify(c.obj), want: c.want }),
                  ),
                },
                { weight: 2, arbitrary: brokenLineArb(format) },
                {
                  weight: 1,
                  arbitrary: fc.constantFrom("", "  ", "\r").map((text): Line => ({ kind: "blank", text })),
                },
              ),
              { minLength: 1, maxLength: 15 },
            ),
          }),
        ),
        chunkSizesArb,
        async ({ format, lines }, sizes) => {
          const bytes = Buffer.from(lines.map((l) => l.text).join("\n"), "utf8");
          const parsed = await parseInput({ source: rechunk(bytes, sizes), fileName: "data.jsonl", format });
          const events = await collect(parsed.events);
          expect(events.map((e) => [e.kind, e.line])).toEqual(
            lines.flatMap((l, i) => (l.kind === "blank" ? [] : [[l.kind, i + 1]])),
          );
          events.forEach((e) => {
            const line = lines[e.line - 1] as Line;
            if (e.kind === "record" && line.kind === "record") {
              expectRecord(e.record, line.want);
              expectWellFormed(e.record);
            } else if (e.kind === "error") expect(e.reason.trim()).not.toBe("");
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("auto-detection: a file of one format's valid records is detected as that format, whatever the chunking", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...Object.values(GENERATORS))
          .chain((g) => fc.array(g, { minLength: 1, maxLength: 5 })),
        chunkSizesArb,
        async (cases, sizes) => {
          const format = (cases[0] as Case).format;
          const bytes = Buffer.from(cases.map((c) => JSON.stringify(c.obj)).join("\n"), "utf8");
          const parsed = await parseInput({ source: rechunk(bytes, sizes), fileName: "data.jsonl" });
          expect(parsed.format).toBe(format);
          const events = await collect(parsed.events);
          expect(events.map((e) => (e.kind === "record" ? e.record.query : e.reason))).toEqual(
            cases.map((c) => c.want.query),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it("deeply nested junk in a record: rejected or stored, never a crash (JSON.stringify of the record works)", async () => {
    await fc.assert(
      fc.asyncProperty(
        anyCaseArb,
        fc.integer({ min: 1, max: 20_000 }),
        fc.constantFrom("[", '{"a":'),
        async (c, depth, open) => {
          const deep = `${open.repeat(depth)}${open === "[" ? "" : "0"}${(open === "[" ? "]" : "}").repeat(depth)}`;
          const text = `${JSON.stringify({ ...c.obj, x_deep: "DEEP" }).replace('"DEEP"', deep)}\n`;
          const parsed = await parseInput({
            source: rechunk(Buffer.from(text), [1 << 16]),
            fileName: "deep.jsonl",
            format: c.format,
          });
          const [event] = await collect(parsed.events);
          if (event?.kind === "record") expectWellFormed(event.record);
          else expect(event?.reason.trim()).not.toBe("");
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("format regressions (found by the properties)", () => {
  it("keys and values named like Object.prototype members are plain data", () => {
    const flag = FORMATS.flagembedding.toRecord({ query: "q", pos: ["p"], type: "constructor" });
    expect(flag.ok && flag.record.taskFamily).toBe("short-short");
    const e5 = FORMATS.e5.toRecord({
      user_query: "q",
      positive_document: "p",
      hard_negative_document: "n",
      language: "constructor",
      task_family: "__proto__",
    });
    expect(e5.ok && [e5.record.language, e5.record.taskFamily]).toEqual([undefined, "short-long"]);
    const proto = FORMATS.flagembedding.toRecord(
      JSON.parse('{"query": "q", "pos": ["p"], "__proto__": [1]}'),
    );
    expect(proto.ok && Object.entries(proto.record.meta)).toEqual([["__proto__", [1]]]);
    expect(proto.ok && Object.getPrototypeOf(proto.record.meta)).toBe(Object.prototype);
    const params = FORMATS.e5.toRecord(
      JSON.parse('{"S1": "a", "S2": "b", "S3": "c", "params": {"__proto__": "x", "n": 1}}'),
    );
    expect(params.ok && Object.entries(params.record.params)).toEqual([
      ["__proto__", "x"],
      ["n", 1],
    ]);
  });

  it("a score out of the double range is rejected, not read as Infinity", () => {
    const r = FORMATS["sentence-transformers"].toRecord({ anchor: "a", positive: "p", score: "1e999" });
    expect(r).toEqual({ ok: false, reason: '"score" must be a number (got string)' });
  });

  it("JSON nested more than 1000 levels deep is rejected with its line; the next line loads", async () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const p = await parseText(
      "deep.jsonl",
      `{"query": "q", "pos": ["p"], "x": ${deep}}\n{"query": "q2", "pos": ["p"]}\n`,
    );
    expect(p.errors).toEqual([{ line: 1, reason: "the JSON is nested more than 1000 levels deep" }]);
    expect(p.records.map((r) => r.line)).toEqual([2]);
    const nested = FORMATS.e5.toRecord({ response: `{"S1": "a", "S2": "b", "S3": "c", "x": ${deep}}` });
    expect(nested).toEqual({ ok: false, reason: '"response" is nested more than 1000 levels deep' });
    // 1000 levels still load.
    const ok = `${"[".repeat(999)}${"]".repeat(999)}`;
    expect((await parseText("ok.jsonl", `{"query": "q", "pos": ["p"], "x": ${ok}}\n`)).records).toHaveLength(
      1,
    );
  });
});
