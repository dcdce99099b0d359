import { describe, expect, it } from "vitest";
import { parseInput } from "@/lib/formats";
import { openInput } from "@/lib/formats/node";
import { collect, fixture } from "@/lib/formats/test-utils";
import {
  createWriter,
  EXPORT_FORMATS,
  exportOptionsSchema,
  exportRecordFromCanonical,
  prepareRecord,
} from "./index";
import { Spool } from "./spool";

describe("export spool", () => {
  it("reads records back by position, whatever order they were appended in", () => {
    const texts = ["a\n", "ünïcødé 😀\n", "", "ccc\n", '{"x":"\\u0000"}\n'];
    const spool = new Spool(8);
    try {
      // Positions 6 and 7 never appended (skipped or vanished records).
      spool.append([texts[3]!, texts[0]!], [4, 1]);
      spool.append([texts[1]!, texts[4]!, texts[2]!], [0, 5, 3]);
      const { bytes, lengths } = spool.read(0, 8);
      expect(Buffer.from(bytes).toString("utf8")).toBe(
        texts[1]! + texts[0]! + texts[2]! + texts[3]! + texts[4]!,
      );
      expect(lengths).toEqual(
        [texts[1], texts[0], texts[2], texts[3], texts[4]].map((t) => Buffer.byteLength(t!)),
      );
      expect(Buffer.from(spool.read(1, 2).bytes).toString()).toBe("a\n");
      expect(spool.read(6, 8)).toEqual({ bytes: Buffer.alloc(0), lengths: [] });
    } finally {
      spool.close();
    }
  });
});

describe("writers: encoded records give the bytes write gives", () => {
  it.each(EXPORT_FORMATS)("%s", async (format) => {
    const parsed = await parseInput(await openInput(fixture("real", "flagemb_msmarco_scored.jsonl")));
    const records = (await collect(parsed.events)).flatMap((e, i) =>
      e.kind === "record" ? [exportRecordFromCanonical(i + 1, e.record)] : [],
    );
    const o = exportOptionsSchema.parse({
      format,
      template: format === "flagembedding" ? undefined : "q: {query}",
    });
    const direct = createWriter(format, o);
    const spooled = createWriter(format, o);
    const ps = records.map((r) => prepareRecord(r, o)).filter((p) => !direct.rejects(p));
    expect(ps.length).toBeGreaterThan(3);
    const a = [direct.start(), direct.write(ps.slice(0, 3)), direct.write(ps.slice(3)), direct.finish()];
    const enc = (chunk: typeof ps) => {
      const texts = chunk.map((p) => spooled.encode(p));
      return spooled.writeEncoded(
        Buffer.from(texts.join("")),
        texts.map((t) => Buffer.byteLength(t)),
      );
    };
    const b = [spooled.start(), enc(ps.slice(0, 3)), enc(ps.slice(3)), spooled.finish()];
    expect(Buffer.concat(b).equals(Buffer.concat(a))).toBe(true);
  });
});
