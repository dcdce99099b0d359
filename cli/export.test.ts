import { describe, expect, it } from "vitest";
import { type ExportCliOptions, parseExportCli } from "./export";

const base: ExportCliOptions = {
  dataset: "d",
  out: "/tmp/x.jsonl",
  format: "flagembedding",
  include: "accepted,relabeled",
  negatives: "1",
  instruction: true,
  template: "Instruct: {task}\\nQuery: {query}",
  symmetric: "instruct",
  order: "task-homogeneous",
  batchSize: "2048",
  mixedFraction: "0.1",
  partialBatches: "end",
  seed: "42",
  devFraction: "0",
  progress: "none",
};

describe("pairsift export options", () => {
  it("parses the defaults, with \\n in the template as a newline", () => {
    const { filter, options } = parseExportCli(base);
    expect(options.template).toBe("Instruct: {task}\nQuery: {query}");
    expect(options.statuses).toEqual(["accepted", "relabeled"]);
    expect(filter.status).toEqual([]);
  });

  it("takes the review filter as URL query and refuses bad or unknown keys", () => {
    const { filter } = parseExportCli({
      ...base,
      filter: "?status=accepted&defect=query_leakage&match=none",
    });
    expect(filter).toMatchObject({ status: ["accepted"], defect: ["query_leakage"], match: "none" });
    expect(() => parseExportCli({ ...base, filter: "status=bogus" })).toThrow(/status/);
    expect(() => parseExportCli({ ...base, filter: "colour=red" })).toThrow(/unknown key colour/);
  });

  it("checks options with the export schema", () => {
    expect(parseExportCli({ ...base, instruction: false }).options.template).toBeNull();
    expect(parseExportCli({ ...base, negatives: "all" }).options.negatives).toBe("all");
    expect(() => parseExportCli({ ...base, include: "rejected" })).toThrow();
    expect(() => parseExportCli({ ...base, negatives: "x" })).toThrow(/negatives/);
    expect(() => parseExportCli({ ...base, rankMin: "100", rankMax: "30" })).toThrow(/rankMin/);
  });
});
