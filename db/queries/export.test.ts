import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createWriter,
  type ExportOptionsInput,
  type ExportRecord,
  encodeRecords,
  exportOptionsSchema,
  OutputStats,
  prepareRecord,
  taskKey,
} from "@/lib/export";
import { parseInput } from "@/lib/formats";
import { openInput } from "@/lib/formats/node";
import { collect, fixture } from "@/lib/formats/test-utils";
import { parseRecordView, type RecordFilter, recordFilterSchema } from "@/lib/review/filter";
import type { Database } from "../client";
import { importFile } from "../import-file";
import { ENGINES, openTestDatabase } from "../testing";
import { runDetection } from "./detect";
import { exportBytes, exportToFile, fetchExportRecords, planExport, runExport } from "./export";
import { decide } from "./review";
import { countMatching } from "./table";

const FILES = [
  fixture("real", "flagemb_msmarco_scored.jsonl"),
  fixture("real", "intel_llm_augmented_queries.jsonl"),
  fixture("real", "flagemb_sts.jsonl"),
  ...["bitext", "long-long", "long-short", "short-long", "short-short", "sts"].map((f) =>
    fixture("e5", `${f}.jsonl`),
  ),
];

const opts = (o: ExportOptionsInput = {}) => exportOptionsSchema.parse(o);
const noFilter = recordFilterSchema.parse({});

describe.each(ENGINES)("export on %s", (engine) => {
  let database: Database;
  let datasetId: number;
  let dir: string;
  /** Records by status after setup. */
  let byStatus: Record<string, number[]>;
  let relabeledId: number;

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-export-"));
    for (const f of FILES) datasetId = (await importFile(database, { path: f, dataset: "exp" })).datasetId;
    await runDetection(database, datasetId, { teacher: "none" });
    // Statuses: every third record accepted, every fifth rejected, the rest pending.
    await database.raw.query(
      `UPDATE record_state
          SET status = CASE WHEN record_id % 5 = 0 THEN 'rejected' WHEN record_id % 3 = 0 THEN 'accepted' ELSE 'pending' END
        WHERE dataset_id = $1`,
      [datasetId],
    );
    // One record relabeled through review: negative 0 dropped, negative 1 promoted.
    const [r] = await database.raw.query<{ id: string | number; version: number }>(
      `SELECT r.id, s.version FROM records r JOIN record_state s ON s.record_id = r.id
        WHERE r.dataset_id = $1 AND r.negative_count >= 4 AND r.id % 5 <> 0 ORDER BY r.id LIMIT 1`,
      [datasetId],
    );
    relabeledId = Number(r!.id);
    let version = r!.version;
    for (const action of [
      { type: "drop_negative", position: 0 },
      { type: "mark_false_negative", position: 1, mode: "promote" },
    ] as const) {
      version = (
        await decide(database, {
          datasetId,
          recordId: relabeledId,
          expectedVersion: version,
          actor: "t",
          action,
        })
      ).version;
    }
    const rows = await database.raw.query<{ id: string | number; status: string }>(
      "SELECT record_id AS id, status FROM record_state WHERE dataset_id = $1 ORDER BY record_id",
      [datasetId],
    );
    byStatus = {};
    for (const x of rows) {
      byStatus[x.status] = [...(byStatus[x.status] ?? []), Number(x.id)];
    }
  });
  afterAll(async () => {
    await database?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function exportFile(name: string, o: ExportOptionsInput, filter: RecordFilter = noFilter) {
    const plan = await planExport(database, { datasetId, filter, options: opts(o) });
    const file = path.join(dir, name);
    const res = await exportToFile(database, plan!, file);
    return { plan: plan!, ...res, file };
  }

  async function parsed(file: string) {
    const p = await parseInput(await openInput(file));
    return { format: p.format, events: await collect(p.events) };
  }

  /** Exported ids through Tevatron's query_id (external id, else the record id). */
  async function exportedIds(file: string): Promise<number[]> {
    const ext = await database.raw.query<{ id: string | number; external_id: string | null }>(
      "SELECT id, external_id FROM records WHERE dataset_id = $1",
      [datasetId],
    );
    const byQid = new Map(ext.map((r) => [r.external_id ?? String(r.id), Number(r.id)]));
    return fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => byQid.get(String(JSON.parse(l).query_id))!);
  }

  it("default export: accepted and relabeled only, rejected never, in their relabeled form", async () => {
    const { file, manifest, files, manifestFile } = await exportFile("default.jsonl", {
      format: "tevatron",
      order: "plain",
      negatives: "all",
      template: null,
    });
    expect(files).toEqual([file]);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
    const ids = await exportedIds(file);
    const expected = [...(byStatus.accepted ?? []), ...(byStatus.relabeled ?? [])].sort((a, b) => a - b);
    expect(ids).toEqual(expected);
    expect(ids).toContain(relabeledId);
    for (const id of byStatus.rejected ?? []) expect(ids).not.toContain(id);
    expect(manifest.counts.byStatus).toEqual({
      accepted: byStatus.accepted!.length,
      relabeled: 1,
    });
    expect(JSON.parse(fs.readFileSync(manifestFile, "utf8")).outputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.detectors.length).toBeGreaterThan(5);
    expect(manifest.detectionRunId).not.toBeNull();
    expect(manifest.decisions).toBe(2);

    // The relabeled record: the dropped negative is gone, the promoted one is a positive.
    const [rec] = await fetchExportRecords(database, datasetId, noFilter, [relabeledId]);
    const line = fs
      .readFileSync(file, "utf8")
      .split("\n")
      .map((l) => (l ? JSON.parse(l) : null))
      .find((o) => o && o.query === rec!.query);
    const texts = (ps: { text: string }[]) => ps.map((p) => p.text);
    expect(texts(line.positive_passages)).toContain(rec!.negatives[1]!.text);
    expect(texts(line.negative_passages)).not.toContain(rec!.negatives[0]!.text);
    expect(texts(line.negative_passages)).not.toContain(rec!.negatives[1]!.text);
    expect(texts(line.negative_passages)).toEqual(rec!.negatives.slice(2).map((n) => n.text));
  });

  it("export = view: the filter's records, statuses intersected, rejected never", async () => {
    const { view } = parseRecordView(new URLSearchParams("family=short-long&family=sts&family=short-short"));
    const statuses = ["pending", "accepted", "relabeled"] as const;
    const { file, manifest } = await exportFile(
      "view.jsonl",
      { format: "tevatron", order: "plain", statuses: [...statuses], negatives: "all" },
      view,
    );
    const n = await countMatching(database, datasetId, { ...view, status: [...statuses] });
    expect(n).toBeGreaterThan(10);
    expect(manifest.matched).toBe(n);
    expect((await exportedIds(file)).length).toBe(n);
    // A view of rejected records exports nothing, whatever the statuses.
    const rejected = await planExport(database, {
      datasetId,
      filter: { ...noFilter, status: ["rejected"] },
      options: opts({ statuses: ["pending", "accepted", "relabeled"] }),
    });
    expect(rejected!.matched).toBe(0);
    expect(rejected!.splits[0]!.ids).toEqual([]);
  });

  it("every format's file parses with its import parser; skipped records are counted", async () => {
    const cases = [
      ["fe.jsonl", "flagembedding", "flagembedding"],
      ["st.jsonl", "sentence-transformers", "sentence-transformers"],
      ["st.csv", "sentence-transformers-csv", "sentence-transformers"],
      ["st.parquet", "sentence-transformers-parquet", "sentence-transformers"],
      ["tev.jsonl", "tevatron", "tevatron"],
      ["e5.jsonl", "e5", "e5"],
    ] as const;
    for (const [name, format, parser] of cases) {
      const { file, manifest } = await exportFile(name, {
        format,
        statuses: ["pending", "accepted", "relabeled"],
      });
      const p = await parsed(file);
      expect(p.format, format).toBe(parser);
      expect(
        p.events.filter((e) => e.kind === "error"),
        format,
      ).toEqual([]);
      const out = manifest.outputs[0]!;
      expect(p.events.length, format).toBe(out.records);
      expect(out.records + out.skipped.too_few_negatives, format).toBe(manifest.matched);
      expect(out.bytes).toBe(fs.statSync(file).size);
    }
  });

  it("import → export → import gives the same records (FlagEmbedding, relabeled form)", async () => {
    const { file } = await exportFile("rt.jsonl", {
      format: "flagembedding",
      statuses: ["pending", "accepted", "relabeled"],
      negatives: "all",
      template: "{task}{query}",
      order: "plain",
    });
    const back = await importFile(database, { path: file, dataset: "exp-roundtrip" });
    expect(back.rejected).toBe(0);
    const o = opts({ negatives: "all", template: null, statuses: ["pending", "accepted", "relabeled"] });
    const key = (r: ExportRecord) => {
      const p = prepareRecord(r, o);
      return JSON.stringify([
        r.task?.trim() ? r.task : null,
        r.query,
        p.positives.map((x) => x.text),
        p.negatives.map((x) => x.text),
      ]);
    };
    const all = async (id: number) => {
      const rows = await database.raw.query<{ id: string | number }>(
        "SELECT record_id AS id FROM record_state WHERE dataset_id = $1 AND status <> 'rejected'",
        [id],
      );
      const recs = await fetchExportRecords(
        database,
        id,
        noFilter,
        rows.map((r) => Number(r.id)),
      );
      return recs.map(key).sort();
    };
    // The re-imported records count every source record whose content is distinct.
    const source = await all(datasetId);
    expect(await all(back.datasetId)).toEqual([...new Set(source)].sort());
  });

  it("task-homogeneous batches, train/dev split, deterministic for a seed", async () => {
    const o: ExportOptionsInput = {
      format: "flagembedding",
      statuses: ["pending", "accepted", "relabeled"],
      batchSize: 3,
      devFraction: 0.2,
      seed: 9,
    };
    const a = await exportFile("det.jsonl", o);
    const b = await exportFile("det2.jsonl", o);
    const c = await exportFile("det3.jsonl", { ...o, seed: 10 });
    expect(a.files.map((f) => path.basename(f))).toEqual(["det.train.jsonl", "det.dev.jsonl"]);
    expect(a.manifest.outputs.map((x) => x.sha256)).toEqual(b.manifest.outputs.map((x) => x.sha256));
    expect(a.manifest.outputs[0]!.sha256).not.toBe(c.manifest.outputs[0]!.sha256);
    const train = a.plan.splits[0]!;
    const dev = a.plan.splits[1]!;
    expect(train.ids.length + dev.ids.length).toBe(a.plan.matched);
    expect(new Set([...train.ids, ...dev.ids]).size).toBe(a.plan.matched);
    // Full batches hold one task each, in the file as in the plan.
    const recs = await fetchExportRecords(database, datasetId, noFilter, train.ids);
    const task = new Map(recs.map((r) => [r.id, taskKey(r.task, r.taskFamily)]));
    expect(train.fullBatches).toBeGreaterThan(3);
    for (let i = 0; i < train.fullBatches; i++) {
      expect(new Set(train.ids.slice(i * 3, i * 3 + 3).map((id) => task.get(id))).size).toBe(1);
    }
    const lines = fs.readFileSync(a.files[0]!, "utf8").split("\n").filter(Boolean);
    const byId = new Map(recs.map((r) => [r.id, r]));
    lines.slice(0, train.fullBatches * 3).forEach((l, i) => {
      expect(JSON.parse(l).query).toBe(byId.get(train.ids[i]!)!.query);
    });
  });

  it("reads only the negatives the options write, and writes what reading every negative would", async () => {
    const statuses = ["pending", "accepted", "relabeled"] as const;
    for (const o of [
      { negatives: 1 },
      { negatives: 2, rankMin: 2 },
      { negatives: "all", rankMax: 3 },
      { negatives: 0 },
      { negatives: 3, rankMin: 1, rankMax: 4 },
    ] satisfies ExportOptionsInput[]) {
      const options = opts({ ...o, format: "tevatron", statuses: [...statuses], order: "plain" });
      const plan = await planExport(database, { datasetId, filter: noFilter, options });
      const ids = plan!.splits[0]!.ids;
      const chunks: Uint8Array[] = [];
      for await (const c of exportBytes(database, plan!, plan!.splits[0]!, new OutputStats(), {
        fetchSize: 9,
      }))
        chunks.push(c);
      const every = await fetchExportRecords(database, datasetId, plan!.effective!, ids);
      expect(every.some((r) => r.negatives.some((n) => n.status === "promoted"))).toBe(true);
      const want = encodeRecords(every, createWriter("tevatron", options), options);
      expect(Buffer.concat(chunks).toString("utf8"), JSON.stringify(o)).toBe(
        Buffer.from(want.bytes).toString("utf8"),
      );
      // And the pruned read itself holds no negative the export would not write.
      const pruned = await fetchExportRecords(database, datasetId, plan!.effective!, ids, options);
      const limit = o.negatives === "all" ? Number.POSITIVE_INFINITY : Number(o.negatives);
      for (const r of pruned)
        expect(r.negatives.filter((n) => n.status === "kept").length).toBeLessThanOrEqual(limit);
      expect(pruned.flatMap((r) => r.negatives).some((n) => n.status === "dropped")).toBe(false);
    }
  });

  it("?manifest=1 computes the same checksums without writing", async () => {
    const o: ExportOptionsInput = {
      format: "sentence-transformers-csv",
      statuses: ["accepted", "pending"],
      seed: 4,
    };
    const a = await exportFile("m.csv", o);
    const plan = await planExport(database, { datasetId, filter: noFilter, options: opts(o) });
    const m = await runExport(database, plan!, { base: "m" });
    expect(m.outputs[0]!.sha256).toBe(a.manifest.outputs[0]!.sha256);
    expect(m.outputs[0]!.bytes).toBe(a.manifest.outputs[0]!.bytes);
  });

  it("a failed export leaves no file under the final name", async () => {
    const plan = await planExport(database, {
      datasetId,
      filter: noFilter,
      options: opts({ statuses: ["pending", "accepted"] }),
    });
    const file = path.join(dir, "failed.jsonl");
    const abort = new AbortController();
    abort.abort();
    await expect(exportToFile(database, plan!, file, { signal: abort.signal })).rejects.toThrow(/cancelled/);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("failed"))).toEqual([]);
  });
});
