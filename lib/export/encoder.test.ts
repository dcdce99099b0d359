import { afterEach, describe, expect, it } from "vitest";
import { EncoderThread, encodeJsonRecords } from "./encoder";
import { exportOptionsSchema } from "./options";

const options = exportOptionsSchema.parse({ negatives: 1, template: "Instruct: {task}\nQuery: {query}" });
const tuple = (id: number, negatives: number) =>
  JSON.stringify([
    id,
    null,
    id % 2 ? "find answers" : null,
    "short-long",
    "en",
    "accepted",
    `query ${id} «ünïcødé» 😀`,
    `positive ${id}`,
    0.5,
    null,
    null,
    null,
    null,
    null,
    null,
    Array.from({ length: negatives }, (_, k) => [k, `negative ${id}.${k}`, "NaN", k + 1, "kept", null]),
  ]);

describe("export encoder thread", () => {
  let encoder: EncoderThread | undefined;
  afterEach(async () => {
    await encoder?.close();
  });

  it("encodes on a worker thread what the in-process encoder does, batch after batch", async () => {
    const init = { format: "sentence-transformers" as const, options };
    encoder = new EncoderThread(init);
    expect(await encoder.threaded()).toBe(true);
    const batches = [
      [tuple(1, 2), tuple(2, 0), tuple(3, 1)],
      [tuple(4, 3), tuple(5, 0)],
    ];
    const got = await Promise.all(batches.map((b) => encoder!.encode(b)));
    batches.forEach((b, i) => {
      const want = encodeJsonRecords(b, init);
      expect(Buffer.from(got[i]!.bytes).equals(Buffer.from(want.bytes))).toBe(true);
      expect([...got[i]!.lengths]).toEqual([...want.lengths]);
      expect(got[i]!.counts).toEqual(want.counts);
    });
    // Records without a negative cannot be a sentence-transformers triplet: skipped, counted.
    expect([...got[0]!.lengths].map((l) => l >= 0)).toEqual([true, false, true]);
    expect(got[0]!.counts.skipped.too_few_negatives).toBe(1);
    expect(Buffer.from(got[0]!.bytes).toString("utf8")).toContain("«ünïcødé» 😀");
  });

  it("encodes in-process when no thread can start", async () => {
    encoder = new EncoderThread({ format: "flagembedding", options }, "/nonexistent/worker-entry.mjs");
    expect(await encoder.threaded()).toBe(false);
    const b = await encoder.encode([tuple(7, 1)]);
    expect(JSON.parse(Buffer.from(b.bytes).toString("utf8"))).toMatchObject({
      query: "query 7 «ünïcødé» 😀",
    });
  });
});
