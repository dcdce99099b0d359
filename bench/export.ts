/**
 * Bench step "export": `pairsift export` (plan on ids, fetch by id chunks, write FlagEmbedding JSONL
 * with task-homogeneous batches, sha256, manifest) against a raw `COPY (SELECT … the same rows) TO
 * STDOUT` in the same database and run. Both read every record of the data set with its negatives.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Database } from "@/db/client";
import { exportToFile, planExport } from "@/db/queries/export";
import { exportOptionsSchema } from "@/lib/export";
import { recordFilterSchema } from "@/lib/review/filter";

export interface ExportBenchResult {
  step: string;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  peakRssMb: number;
  bytes: number;
  ratio?: number;
  baseline?: string;
}

/** The rows the export reads, as one SELECT (the columns of fetchExportRecords, negatives as JSON). */
const SAME_ROWS = (datasetId: number) => `
  SELECT r.id, r.external_id, r.task, r.task_family, r.language, r.status, r.query, r.positive,
         r.positive_score, r.positive_meta, r.extra_positives, r.label, r.misleading_label, r.params, r.meta,
         (SELECT json_agg(json_build_array(n.position, n.text, n.teacher_score, n.teacher_rank, n.status, n.meta)
                          ORDER BY n.position)
            FROM negatives n WHERE n.record_id = r.id) AS negs
    FROM records r WHERE r.dataset_id = ${Number(datasetId)} AND r.status <> 'rejected'`;

/** Raw COPY … TO STDOUT of the same rows; returns the bytes received. */
async function copyOut(database: Database, datasetId: number): Promise<number> {
  const q = `COPY (${SAME_ROWS(datasetId)}) TO STDOUT`;
  if (database.kind === "pglite") {
    const res = await database.pg.query(q.replace("TO STDOUT", "TO '/dev/blob'"));
    return res.blob?.size ?? 0;
  }
  const stream = await database.client.unsafe(q).readable();
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).byteLength;
  return bytes;
}

export async function exportBench(
  database: Database,
  datasetName: string,
  peakSampler: () => () => number,
): Promise<ExportBenchResult[]> {
  const [ds] = await database.raw.query<{ id: number }>("SELECT id FROM datasets WHERE name = $1", [
    datasetName,
  ]);
  const datasetId = ds!.id;
  const [{ n } = { n: 0 }] = await database.raw.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM records WHERE dataset_id = $1 AND status <> 'rejected'",
    [datasetId],
  );

  let peak = peakSampler();
  let t0 = performance.now();
  const rawBytes = await copyOut(database, datasetId);
  let sec = (performance.now() - t0) / 1000;
  const raw: ExportBenchResult = {
    step: "raw COPY TO (baseline)",
    records: n,
    seconds: sec,
    recordsPerSecond: n / sec,
    peakRssMb: peak(),
    bytes: rawBytes,
  };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-bench-export-"));
  try {
    peak = peakSampler();
    t0 = performance.now();
    const plan = await planExport(database, {
      datasetId,
      filter: recordFilterSchema.parse({}),
      options: exportOptionsSchema.parse({ statuses: ["pending", "accepted", "relabeled"] }),
    });
    const { manifest } = await exportToFile(database, plan!, path.join(dir, "bench.jsonl"));
    sec = (performance.now() - t0) / 1000;
    const records = manifest.counts.records;
    if (records !== n) throw new Error(`export wrote ${records} of ${n} records`);
    return [
      raw,
      {
        step: "pairsift export (FlagEmbedding, task batches)",
        records,
        seconds: sec,
        recordsPerSecond: records / sec,
        peakRssMb: peak(),
        bytes: manifest.outputs.reduce((s, o) => s + o.bytes, 0),
      },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
