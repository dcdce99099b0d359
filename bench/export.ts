/**
 * Bench step "export": `pairsift export` (plan on ids, read the records in id order, spool them,
 * write FlagEmbedding JSONL with task-homogeneous batches in plan order, sha256, manifest) against a
 * raw `COPY (SELECT … the same rows) TO STDOUT` in the same database and run. Both read every record
 * of the data set with all its negatives.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
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

/**
 * The rows the export reads, as one SELECT: every column fetchExportRecords reads, every negative
 * (as JSON, as the export's PGlite query builds them; on PostgreSQL the export reads them as plain
 * rows).
 */
const SAME_ROWS = (datasetId: number) => `
  SELECT r.id, r.external_id, r.task, r.task_family, r.language, s.status, r.query, r.positive,
         r.positive_score, r.positive_meta, r.extra_positives, r.label, r.misleading_label, r.params, r.meta,
         (SELECT json_agg(json_build_array(n.position, n.text, n.teacher_score, n.teacher_rank, n.status, n.meta)
                          ORDER BY n.position)
            FROM negatives n WHERE n.record_id = r.id) AS negs
    FROM records r JOIN record_state s ON s.record_id = r.id
   WHERE r.dataset_id = ${Number(datasetId)} AND s.status <> 'rejected'`;

/**
 * Raw COPY … TO STDOUT of the same rows; returns the bytes received. On PostgreSQL the COPY runs
 * on a connection of its own, opened before and closed after the timed part: postgres.js can leave
 * a connection's socket paused after a COPY TO stream whose last chunk filled the stream's buffer
 * (it resumes the socket only on a read, and none follows the end), and the next query on that
 * connection then never returns.
 */
async function copyOut(database: Database, datasetId: number): Promise<{ bytes: number; seconds: number }> {
  const q = `COPY (${SAME_ROWS(datasetId)}) TO STDOUT`;
  if (database.kind === "pglite") {
    const t0 = performance.now();
    const res = await database.pg.query(q.replace("TO STDOUT", "TO '/dev/blob'"));
    return { bytes: res.blob?.size ?? 0, seconds: (performance.now() - t0) / 1000 };
  }
  const client = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    await client`SELECT 1`;
    const t0 = performance.now();
    const stream = await client.unsafe(q).readable();
    let bytes = 0;
    for await (const chunk of stream) bytes += (chunk as Buffer).byteLength;
    return { bytes, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await client.end({ timeout: 1 });
  }
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
    "SELECT count(*)::int AS n FROM record_state WHERE dataset_id = $1 AND status <> 'rejected'",
    [datasetId],
  );

  let peak = peakSampler();
  const copied = await copyOut(database, datasetId);
  const raw: ExportBenchResult = {
    step: "raw COPY TO (baseline)",
    records: n,
    seconds: copied.seconds,
    recordsPerSecond: n / copied.seconds,
    peakRssMb: peak(),
    bytes: copied.bytes,
  };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-bench-export-"));
  try {
    const out: ExportBenchResult[] = [raw];
    // The default options (one negative per query, as Linq trains) read only the negatives they
    // write; with every negative the export reads all the rows the baseline reads.
    for (const [label, negatives] of [
      ["1 negative (default)", 1],
      ["every negative", "all"],
    ] as const) {
      peak = peakSampler();
      const t0 = performance.now();
      const plan = await planExport(database, {
        datasetId,
        filter: recordFilterSchema.parse({}),
        options: exportOptionsSchema.parse({ statuses: ["pending", "accepted", "relabeled"], negatives }),
      });
      const { manifest } = await exportToFile(database, plan!, path.join(dir, "bench.jsonl"));
      const sec = (performance.now() - t0) / 1000;
      const records = manifest.counts.records;
      if (records !== n) throw new Error(`export wrote ${records} of ${n} records`);
      out.push({
        step: `pairsift export (FlagEmbedding, task batches, ${label})`,
        records,
        seconds: sec,
        recordsPerSecond: records / sec,
        peakRssMb: peak(),
        bytes: manifest.outputs.reduce((s, o) => s + o.bytes, 0),
      });
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
