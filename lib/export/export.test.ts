import { describe, expect, it } from "vitest";
import { parseInput } from "@/lib/formats";
import { openInput } from "@/lib/formats/node";
import { collect, fixture, streamOf } from "@/lib/formats/test-utils";
import type { CanonicalRecord, ParseEvent } from "@/lib/formats/types";
import {
  createWriter,
  csvField,
  csvLine,
  DEFAULT_TEMPLATE,
  EXPORT_FORMAT_INFO,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportOptionsInput,
  type ExportRecord,
  exportOptionsSchema,
  exportOptionsToParams,
  exportRecordFromCanonical,
  exportStatuses,
  IdTaskList,
  instructionFor,
  parseExportParams,
  planSplits,
  prepareRecord,
  stColumns,
} from "./index";

const opts = (o: ExportOptionsInput = {}) => exportOptionsSchema.parse(o);

async function parseFile(file: string): Promise<CanonicalRecord[]> {
  const parsed = await parseInput(await openInput(file));
  return (await collect(parsed.events)).flatMap((e) => (e.kind === "record" ? [e.record] : []));
}

/** Writes records with a format's writer and parses the bytes back with the import parser of that format. */
async function roundTrip(
  records: ExportRecord[],
  format: ExportFormat,
  o: ExportOptionsInput = {},
  chunk = 3,
): Promise<{ events: ParseEvent[]; written: ExportRecord[]; bytes: Uint8Array }> {
  const options = opts({ ...o, format });
  const w = createWriter(format, options);
  const parts: Uint8Array[] = [w.start()];
  const written: ExportRecord[] = [];
  for (let i = 0; i < records.length; i += chunk) {
    const ps = records
      .slice(i, i + chunk)
      .map((r) => prepareRecord(r, options))
      .filter((p) => !w.rejects(p));
    written.push(...ps.map((p) => p.record));
    parts.push(w.write(ps));
  }
  parts.push(w.finish());
  const bytes = Buffer.concat(parts);
  const ext = EXPORT_FORMAT_INFO[format].extension;
  const source =
    ext === "parquet"
      ? {
          byteLength: bytes.byteLength,
          slice: async (s: number, e?: number) =>
            bytes.buffer.slice(bytes.byteOffset + s, bytes.byteOffset + (e ?? bytes.byteLength)),
        }
      : streamOf([bytes], 997);
  const formatId = format.startsWith("sentence-transformers") ? "sentence-transformers" : format;
  const parsed = await parseInput({ source, fileName: `out.${ext}`, format: "auto" });
  expect(parsed.format).toBe(formatId);
  return { events: await collect(parsed.events), written, bytes };
}

const REAL = [
  "flagemb_msmarco_scored.jsonl",
  "flagemb_nq_scored.jsonl",
  "flagemb_sts.jsonl",
  "flagemb_cls_banking77.jsonl",
  "gritlm_instruct_embedding.jsonl",
  "intel_llm_augmented_queries.jsonl",
  "zh_t2ranking_100.jsonl",
  "ko_korsts_dev.tsv",
];
const E5 = ["bitext", "long-long", "long-short", "short-long", "short-short", "sts"];

async function realRecords(): Promise<ExportRecord[]> {
  const out: ExportRecord[] = [];
  for (const f of REAL)
    for (const r of await parseFile(fixture("real", f)))
      out.push(exportRecordFromCanonical(out.length + 1, r));
  for (const f of E5)
    for (const r of await parseFile(fixture("e5", `${f}.jsonl`)))
      out.push(exportRecordFromCanonical(out.length + 1, r));
  return out;
}

describe("export options", () => {
  it("defaults follow Linq: accepted + relabeled, one negative, the E5 instruction, task batches", () => {
    const o = opts();
    expect(o).toMatchObject({
      format: "flagembedding",
      statuses: ["accepted", "relabeled"],
      negatives: 1,
      template: DEFAULT_TEMPLATE,
      order: "task-homogeneous",
      devFraction: 0,
    });
  });

  it("rejects bad combinations and values", () => {
    expect(exportOptionsSchema.safeParse({ statuses: ["rejected"] }).success).toBe(false);
    expect(exportOptionsSchema.safeParse({ statuses: [] }).success).toBe(false);
    expect(exportOptionsSchema.safeParse({ rankMin: 50, rankMax: 30 }).success).toBe(false);
    expect(exportOptionsSchema.safeParse({ template: "no query here" }).success).toBe(false);
    expect(
      exportOptionsSchema.safeParse({ format: "flagembedding", template: "{query} please" }).success,
    ).toBe(false);
    expect(exportOptionsSchema.safeParse({ format: "tevatron", template: "{query} please" }).success).toBe(
      true,
    );
    expect(exportOptionsSchema.safeParse({ format: "sentence-transformers", negatives: "all" }).success).toBe(
      false,
    );
    expect(exportOptionsSchema.safeParse({ format: "parquet" }).success).toBe(false);
  });

  it("round-trips through search params", () => {
    const o = opts({
      format: "sentence-transformers-csv",
      statuses: ["pending", "accepted"],
      negatives: 3,
      rankMin: 30,
      rankMax: 100,
      template: null,
      order: "homogeneous-then-mixed",
      batchSize: 64,
      seed: 7,
      devFraction: 0.1,
    });
    const params = exportOptionsToParams(o);
    expect(params.get("template")).toBe("none");
    const back = parseExportParams(params);
    expect(back.success && back.data).toEqual(o);
    expect(parseExportParams(new URLSearchParams("negatives=-1")).success).toBe(false);
    expect(parseExportParams(new URLSearchParams("include=accepted,pending")).data?.statuses).toEqual([
      "accepted",
      "pending",
    ]);
  });

  it("export statuses: the view's selection intersected, never rejected", () => {
    expect(exportStatuses([], ["accepted", "relabeled"])).toEqual(["accepted", "relabeled"]);
    expect(exportStatuses(["accepted", "rejected"], ["accepted", "relabeled"])).toEqual(["accepted"]);
    expect(exportStatuses(["pending"], ["accepted", "relabeled"])).toEqual([]);
  });
});

describe("relabeled form and instruction", () => {
  const base = exportRecordFromCanonical(1, {
    task: "Retrieve answers",
    taskFamily: "short-long",
    query: "what is x",
    positive: { text: "x is y", score: 0.9 },
    extraPositives: [{ text: "x equals y" }],
    negatives: [{ text: "n0" }, { text: "n1" }, { text: "n2" }, { text: "n3" }],
    params: {},
    meta: {},
  });
  base.negatives[0]!.status = "dropped";
  base.negatives[1]!.status = "promoted";
  base.negatives[2]!.rank = 12;
  base.negatives[3]!.rank = 40;

  it("kept negatives only, promoted ones as positives, rank window, at most n", () => {
    const p = prepareRecord(base, opts({ negatives: "all" }));
    expect(p.positives.map((x) => x.text)).toEqual(["x is y", "x equals y", "n1"]);
    expect(p.negatives.map((x) => x.text)).toEqual(["n2", "n3"]);
    expect(prepareRecord(base, opts({ negatives: 1 })).negatives.map((x) => x.text)).toEqual(["n2"]);
    expect(prepareRecord(base, opts({ rankMin: 30, rankMax: 100 })).negatives.map((x) => x.text)).toEqual([
      "n3",
    ]);
    expect(prepareRecord(base, opts({ negatives: 0 })).negatives).toEqual([]);
  });

  it("instruction: template, none, symmetric none, no task", () => {
    expect(prepareRecord(base, opts()).instructedQuery).toBe("Instruct: Retrieve answers\nQuery: what is x");
    expect(prepareRecord(base, opts()).prompt).toBe("Instruct: Retrieve answers\nQuery: ");
    expect(prepareRecord(base, opts({ template: null })).instructedQuery).toBe("what is x");
    expect(prepareRecord({ ...base, task: null }, opts()).instructedQuery).toBe("what is x");
    expect(instructionFor("t", "sts", { template: DEFAULT_TEMPLATE, symmetric: "none" })).toBeNull();
    expect(instructionFor("t", "sts", { template: DEFAULT_TEMPLATE, symmetric: "instruct" })).not.toBeNull();
    const suffix = prepareRecord(base, opts({ format: "tevatron", template: "query: {query} ({task})" }));
    expect(suffix.instructedQuery).toBe("query: what is x (Retrieve answers)");
    expect(suffix.prompt).toBeNull();
  });
});

describe("order, batches, split", () => {
  /** 5 tasks of different sizes, ids not in task order. */
  function list(): IdTaskList {
    const l = new IdTaskList();
    const sizes = [37, 10, 64, 3, 21];
    let id = 1000;
    for (let round = 0; round < 64; round++)
      sizes.forEach((n, t) => {
        if (round < n) {
          id += 7;
          l.add(id, `task ${t}`);
        }
      });
    return l;
  }
  const taskOfId = (l: IdTaskList) => new Map(l.ids.map((id, i) => [id, l.tasks[l.taskOf[i]!]!]));

  it("task-homogeneous: full batches of one task first, partial ones after, every id once", () => {
    const l = list();
    const [s] = planSplits(l, opts({ batchSize: 8, seed: 3 }));
    const t = taskOfId(l);
    expect(s!.name).toBe("all");
    expect([...s!.ids].sort((a, b) => a - b)).toEqual([...l.ids].sort((a, b) => a - b));
    expect(s!.fullBatches).toBe(4 + 1 + 8 + 0 + 2);
    for (let b = 0; b < s!.fullBatches; b++) {
      const tasks = new Set(s!.ids.slice(b * 8, b * 8 + 8).map((id) => t.get(id)));
      expect(tasks.size).toBe(1);
    }
    // Tasks interleave: consecutive full batches are not all of one task in task order.
    const batchTasks = Array.from({ length: s!.fullBatches }, (_, b) => t.get(s!.ids[b * 8]!));
    expect(batchTasks).not.toEqual([...batchTasks].sort());
    expect(s!.partialRecords).toBe(5 + 2 + 0 + 3 + 5);
  });

  it("drops partial batches when asked", () => {
    const [s] = planSplits(list(), opts({ batchSize: 8, partialBatches: "drop" }));
    expect(s!.ids.length).toBe(15 * 8);
    expect(s!.dropped).toBe(15);
  });

  it("homogeneous-then-mixed: task by task, then a mixed tail", () => {
    const l = list();
    const [s] = planSplits(l, opts({ order: "homogeneous-then-mixed", batchSize: 4, mixedFraction: 0.2 }));
    const t = taskOfId(l);
    expect(s!.ids.length).toBe(l.size);
    expect(s!.mixedRecords).toBe(7 + 2 + 13 + 1 + 4);
    const head = s!.ids.slice(0, s!.fullBatches * 4).map((id) => t.get(id));
    for (let b = 0; b < s!.fullBatches; b++) expect(new Set(head.slice(b * 4, b * 4 + 4)).size).toBe(1);
    // Task by task: each task's full batches are contiguous.
    const runs = head.filter((x, i) => i === 0 || head[i - 1] !== x);
    expect(new Set(runs).size).toBe(runs.length);
    const tail = s!.ids.slice(-s!.mixedRecords).map((id) => t.get(id));
    expect(new Set(tail).size).toBeGreaterThan(1);
  });

  it("plain keeps id order", () => {
    const l = list();
    const [s] = planSplits(l, opts({ order: "plain" }));
    expect(s!.ids).toEqual([...l.ids].sort((a, b) => a - b));
  });

  it("is deterministic for a seed and changes with it", () => {
    const a = planSplits(list(), opts({ batchSize: 8, seed: 11, devFraction: 0.2 }));
    const b = planSplits(list(), opts({ batchSize: 8, seed: 11, devFraction: 0.2 }));
    const c = planSplits(list(), opts({ batchSize: 8, seed: 12, devFraction: 0.2 }));
    expect(a).toEqual(b);
    expect(a[0]!.ids).not.toEqual(c[0]!.ids);
  });

  it("train/dev: disjoint, complete, about devFraction of each task", () => {
    const l = list();
    const [train, dev] = planSplits(l, opts({ devFraction: 0.25, seed: 5 }));
    expect(train!.name).toBe("train");
    expect(dev!.name).toBe("dev");
    const all = [...train!.ids, ...dev!.ids].sort((a, b) => a - b);
    expect(all).toEqual([...l.ids].sort((a, b) => a - b));
    const t = taskOfId(l);
    const devPerTask = new Map<string, number>();
    for (const id of dev!.ids) devPerTask.set(t.get(id)!, (devPerTask.get(t.get(id)!) ?? 0) + 1);
    expect(devPerTask.get("task 2")).toBe(16);
    expect(devPerTask.get("task 1")).toBe(3);
    // The split of an id does not depend on the other ids (stable when the filter changes).
    expect(dev!.ids.length).toBe(Math.round(37 / 4) + 3 + 16 + 1 + 5);
  });
});

describe("writers", () => {
  it("CSV quoting follows RFC 4180", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvLine(["a", "b,c", ""])).toBe('a,"b,c",\r\n');
    expect(stColumns(0)).toEqual(["anchor", "positive"]);
    expect(stColumns(1)).toEqual(["anchor", "positive", "negative"]);
    expect(stColumns(3)).toEqual(["anchor", "positive", "negative_1", "negative_2", "negative_3"]);
  });

  it("every format's output parses with its import parser (real data)", async () => {
    const records = await realRecords();
    expect(records.length).toBeGreaterThan(200);
    for (const format of EXPORT_FORMATS) {
      const { events, written } = await roundTrip(records, format, {
        negatives: format.startsWith("sentence") ? 1 : "all",
        template: format === "flagembedding" ? "{task}{query}" : null,
      });
      const errors = events.filter((e) => e.kind === "error");
      expect(errors, format).toEqual([]);
      expect(events.length, format).toBe(written.length);
      expect(written.length, format).toBeGreaterThan(100);
    }
  });

  it("import → export → import keeps query, positives, negatives and task", async () => {
    const records = await realRecords();
    const strip = (r: ExportRecord) => ({
      query: r.query,
      positive: r.positive,
      extra: r.extraPositives.map((p) => p.text),
      negatives: r.negatives.map((n) => n.text),
    });
    // FlagEmbedding carries everything, the task in `prompt` (template "{task}{query}").
    const fe = await roundTrip(records, "flagembedding", { negatives: "all", template: "{task}{query}" });
    expect(fe.written.length).toBe(records.length);
    fe.events.forEach((e, i) => {
      if (e.kind !== "record") throw new Error(e.reason);
      const r = exportRecordFromCanonical(0, e.record);
      const src = fe.written[i]!;
      expect(strip(r)).toEqual(strip(src));
      expect(r.task ?? null).toBe(src.task?.trim() ? src.task : null);
      expect(r.positiveScore).toBe(src.positiveScore);
    });
    // Tevatron: texts and passages (docid/title kept), no task.
    const tev = await roundTrip(records, "tevatron", { negatives: "all", template: null });
    expect(tev.written.length).toBe(records.length);
    tev.events.forEach((e, i) => {
      if (e.kind !== "record") throw new Error(e.reason);
      expect(strip(exportRecordFromCanonical(0, e.record))).toEqual(strip(tev.written[i]!));
    });
    // sentence-transformers (all three containers): anchor, positive, negatives.
    for (const format of [
      "sentence-transformers",
      "sentence-transformers-csv",
      "sentence-transformers-parquet",
    ] as const) {
      const st = await roundTrip(records, format, { negatives: 2, template: null });
      st.events.forEach((e, i) => {
        if (e.kind !== "record") throw new Error(e.reason);
        const src = st.written[i]!;
        expect(e.record.query).toBe(src.query);
        expect(e.record.positive.text).toBe(src.positive);
        expect(e.record.negatives.map((n) => n.text)).toEqual(src.negatives.slice(0, 2).map((n) => n.text));
      });
      expect(st.written.every((r) => r.negatives.length >= 2)).toBe(true);
    }
  });

  it("E5 files come back as they were imported (families, params, labels)", async () => {
    for (const f of E5) {
      const src = (await parseFile(fixture("e5", `${f}.jsonl`))).map((r, i) =>
        exportRecordFromCanonical(i + 1, r),
      );
      const { events, written } = await roundTrip(src, "e5", { negatives: 1 });
      expect(written.length, f).toBe(src.length);
      events.forEach((e, i) => {
        if (e.kind !== "record") throw new Error(`${f}: ${e.reason}`);
        const a = written[i]!;
        expect(e.record.taskFamily, f).toBe(a.taskFamily);
        expect(e.record.task).toBe(a.task ?? undefined);
        expect(e.record.params).toEqual(a.params);
        expect(e.record.externalId).toBe(a.externalId ?? undefined);
        expect(e.record.label).toBe(a.label ?? undefined);
        expect(e.record.misleadingLabel).toBe(a.misleadingLabel ?? undefined);
        expect(e.record.negatives.map((n) => n.text)).toEqual(a.negatives.map((n) => n.text));
      });
    }
  });

  it("sentence-transformers leaves out records with too few negatives; Parquet has one row group per chunk", async () => {
    const recs = await realRecords();
    const { written, bytes } = await roundTrip(recs, "sentence-transformers-parquet", { negatives: 1 }, 50);
    expect(written.length).toBe(recs.filter((r) => r.negatives.length >= 1).length);
    const { parquetMetadata } = await import("hyparquet");
    const meta = parquetMetadata(new Uint8Array(bytes).buffer);
    expect(meta.row_groups.length).toBeGreaterThanOrEqual(5);
    expect(Number(meta.num_rows)).toBe(written.length);
  });
});
