import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import {
  buildManifest,
  createWriter,
  EXPORT_FORMAT_INFO,
  type ExportOptions,
  type ExportRecord,
  exportStatuses,
  IdTaskList,
  type Manifest,
  type ManifestOutput,
  manifestOutput,
  OutputStats,
  outputFileName,
  planSplits,
  prepareRecord,
  type Split,
  taskKey,
} from "@/lib/export";
import type { RecordFilter } from "@/lib/review/filter";
import type { Database } from "../client";
import { filterCondition, rawQuery } from "./filter";

/**
 * Export: plan on (id, task) pairs, then stream the records in that order by chunks of ids.
 *
 * 1. `planExport` reads only ids and tasks of the records the view's filter and the export's
 *    statuses match (keyset pages of 50k), and computes the split, order and batches in lib/export.
 * 2. `exportBytes` fetches the records of each chunk of ids (`WHERE id = ANY(…)`, the filter
 *    applied again, so a record rejected meanwhile is never written), puts them back in plan order,
 *    and hands the writer's bytes out as they come — memory stays flat at any size.
 */

export interface ExportRequest {
  datasetId: number;
  filter: RecordFilter;
  options: ExportOptions;
}

export interface ExportPlan extends ExportRequest {
  dataset: { id: number; name: string };
  /** The filter actually applied: the view's, with the export's statuses (never rejected). */
  effective: RecordFilter | null;
  /** Records matched when planned. */
  matched: number;
  splits: Split[];
}

export interface ExportProgress {
  /** Records read so far (written + skipped), over all outputs. */
  done: number;
  total: number;
  written: number;
  bytes: number;
  elapsedMs: number;
}

const PLAN_PAGE = 50_000;
const DEFAULT_CHUNK = 500;

/**
 * ANALYZE records / negatives when their statistics are missing or stale (right after a large
 * import, before autovacuum has run; PGlite has none). Without them the planner reads a chunk of
 * 500 ids with a sequential scan of the whole table, and an export turns quadratic.
 */
export async function ensureStatistics(database: Database): Promise<string[]> {
  const rows = await database.raw.query<{
    relname: string;
    live: string | number;
    mod: string | number;
    never: boolean;
  }>(
    `SELECT relname, n_live_tup AS live, n_mod_since_analyze AS mod,
            (last_analyze IS NULL AND last_autoanalyze IS NULL) AS never
       FROM pg_stat_user_tables WHERE relname IN ('records', 'negatives')`,
  );
  const stale = rows.filter((r) => {
    const live = Number(r.live);
    const mod = Number(r.mod);
    return (r.never && live + mod > 1000) || mod > Math.max(1000, 0.2 * live);
  });
  for (const r of stale)
    await database.raw.query(`ANALYZE ${r.relname === "records" ? "records" : "negatives"}`);
  return stale.map((r) => r.relname);
}

/** Reads the (id, task) pairs the export covers and orders them. Null when the data set does not exist. */
export async function planExport(database: Database, req: ExportRequest): Promise<ExportPlan | null> {
  await ensureStatistics(database);
  const [ds] = await database.raw.query<{ id: number; name: string }>(
    "SELECT id, name FROM datasets WHERE id = $1",
    [req.datasetId],
  );
  if (!ds) return null;
  const statuses = exportStatuses(req.filter.status, req.options.statuses);
  const effective = statuses.length ? { ...req.filter, status: statuses } : null;
  const list = new IdTaskList();
  if (effective) {
    const cond = filterCondition(req.datasetId, effective);
    let after = 0;
    for (;;) {
      const rows = await rawQuery<{ id: string | number; task: string | null; task_family: string }>(
        database.raw,
        sql`SELECT r.id, r.task, r.task_family FROM records r
             WHERE ${cond} AND r.id > ${after} ORDER BY r.id LIMIT ${PLAN_PAGE}`,
      );
      for (const r of rows) list.add(Number(r.id), taskKey(r.task, r.task_family));
      if (rows.length < PLAN_PAGE) break;
      after = Number(rows.at(-1)!.id);
    }
  }
  return {
    ...req,
    dataset: { id: ds.id, name: ds.name },
    effective,
    matched: list.size,
    splits: planSplits(list, req.options),
  };
}

interface RecordDbRow {
  id: string | number;
  external_id: string | null;
  task: string | null;
  task_family: ExportRecord["taskFamily"];
  language: string | null;
  status: ExportRecord["status"];
  query: string;
  positive: string;
  positive_score: number | null;
  positive_meta: Record<string, unknown> | null;
  extra_positives: ExportRecord["extraPositives"] | null;
  label: string | null;
  misleading_label: string | null;
  params: ExportRecord["params"] | null;
  meta: Record<string, unknown> | null;
  /** [[position, text, score, rank, status, meta], …] as JSON text. */
  negs: string | null;
}

type NegTuple = [number, string, number | null, number | null, "kept" | "dropped" | "promoted", unknown];

const asObject = <T>(v: unknown): T | null =>
  typeof v === "string" ? (JSON.parse(v) as T) : (v as T | null);

/** The records of `ids` that still match `filter`, in no particular order. */
export async function fetchExportRecords(
  database: Database,
  datasetId: number,
  filter: RecordFilter,
  ids: readonly number[],
): Promise<ExportRecord[]> {
  if (!ids.length) return [];
  const rows = await rawQuery<RecordDbRow>(
    database.raw,
    sql`SELECT r.id, r.external_id, r.task, r.task_family, r.language, r.status, r.query, r.positive,
               r.positive_score, r.positive_meta, r.extra_positives, r.label, r.misleading_label, r.params, r.meta,
               (SELECT json_agg(json_build_array(n.position, n.text, n.teacher_score, n.teacher_rank, n.status, n.meta)
                                ORDER BY n.position)
                  FROM negatives n WHERE n.record_id = r.id)::text AS negs
          FROM records r
         WHERE r.id = ANY(${`{${ids.join(",")}}`}::bigint[]) AND ${filterCondition(datasetId, filter)}`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    externalId: r.external_id,
    task: r.task,
    taskFamily: r.task_family,
    language: r.language,
    status: r.status,
    query: r.query,
    positive: r.positive,
    positiveScore: r.positive_score,
    positiveMeta: asObject(r.positive_meta),
    extraPositives: asObject<ExportRecord["extraPositives"]>(r.extra_positives) ?? [],
    label: r.label,
    misleadingLabel: r.misleading_label,
    params: asObject<ExportRecord["params"]>(r.params) ?? {},
    meta: asObject<Record<string, unknown>>(r.meta) ?? {},
    negatives: r.negs
      ? (JSON.parse(r.negs) as NegTuple[]).map(([position, text, score, rank, status, meta]) => ({
          position,
          text,
          score,
          rank,
          status,
          meta: (meta as Record<string, unknown> | null) ?? null,
        }))
      : [],
  }));
}

export interface ExportBytesOptions {
  /** Records per fetch (and per Parquet row group). */
  chunkSize?: number;
  signal?: AbortSignal;
  /** Called after every chunk with the records read and written so far in this output. */
  onChunk?: (read: number, stats: OutputStats) => void;
}

/**
 * The bytes of one output, chunk by chunk, counting into `stats` (records, tasks, statuses,
 * skipped, bytes, and the sha256 once the last chunk is out). The next chunk is fetched while the
 * current one is written.
 */
export async function* exportBytes(
  database: Database,
  plan: ExportPlan,
  split: Split,
  stats: OutputStats & { sha256?: string },
  opts: ExportBytesOptions = {},
): AsyncGenerator<Uint8Array> {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK;
  const writer = createWriter(plan.options.format, plan.options);
  const hash = createHash("sha256");
  const emit = (b: Uint8Array) => {
    hash.update(b);
    stats.bytes += b.byteLength;
    return b;
  };
  const first = writer.start();
  if (first.byteLength) yield emit(first);
  const filter = plan.effective;
  const fetchChunk = (i: number) =>
    filter
      ? fetchExportRecords(database, plan.datasetId, filter, split.ids.slice(i, i + chunkSize))
      : Promise.resolve([]);
  // Chunks fetched ahead: PostgreSQL serves two on its own connections while this one is written;
  // PGlite is one connection, so one ahead is enough there.
  const ahead = database.kind === "postgres" ? 2 : 1;
  const queue: Promise<ExportRecord[]>[] = [];
  let queued = 0;
  const fill = () => {
    while (queue.length < ahead && queued < split.ids.length) {
      const p = fetchChunk(queued);
      // Surface a failed prefetch at its own await, not as an unhandled rejection.
      p.catch(() => {});
      queue.push(p);
      queued += chunkSize;
    }
  };
  for (let i = 0; i < split.ids.length; i += chunkSize) {
    if (opts.signal?.aborted) throw new Error("The export was cancelled.");
    fill();
    const rows = await queue.shift()!;
    fill();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const accepted = [];
    const end = Math.min(i + chunkSize, split.ids.length);
    for (let k = i; k < end; k++) {
      const r = byId.get(split.ids[k]!);
      if (!r) {
        stats.vanished++;
        continue;
      }
      const p = prepareRecord(r, plan.options);
      const reason = writer.rejects(p);
      if (reason) {
        stats.skipped[reason]++;
        continue;
      }
      stats.add(p);
      accepted.push(p);
    }
    const out = writer.write(accepted);
    if (out.byteLength) yield emit(out);
    opts.onChunk?.(end, stats);
  }
  const last = writer.finish();
  if (last.byteLength) yield emit(last);
  stats.sha256 = hash.digest("hex");
}

/** Detector versions of the current detection run and the number of decisions, for the manifest. */
export async function manifestContext(
  database: Database,
  datasetId: number,
): Promise<{ detectors: string[]; detectionRunId: number | null; decisions: number }> {
  const [row] = await database.raw.query<{
    run_id: number | null;
    detectors: string[] | string | null;
    decisions: string | number;
  }>(
    `SELECT d.flags_run_id AS run_id, dr.detectors,
            (SELECT count(*) FROM decisions x WHERE x.dataset_id = d.id) AS decisions
       FROM datasets d LEFT JOIN detection_runs dr ON dr.id = d.flags_run_id
      WHERE d.id = $1`,
    [datasetId],
  );
  const detectors = asObject<string[]>(row?.detectors ?? null) ?? [];
  return { detectors, detectionRunId: row?.run_id ?? null, decisions: Number(row?.decisions ?? 0) };
}

export interface RunExportOptions {
  /** The output file name base (without extension), for the manifest and the split names. */
  base: string;
  /** Where each output's bytes go; null: computed (counted, hashed) and discarded. */
  sink?: (split: Split, fileName: string) => { write(b: Uint8Array): Promise<void>; close(): Promise<void> };
  chunkSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
}

/** Runs every output of a plan through its sink (or none, for `?manifest=1`) and returns the manifest. */
export async function runExport(
  database: Database,
  plan: ExportPlan,
  opts: RunExportOptions,
): Promise<Manifest> {
  const started = Date.now();
  const total = plan.splits.reduce((s, x) => s + x.ids.length, 0);
  const ext = EXPORT_FORMAT_INFO[plan.options.format].extension;
  const outputs: ManifestOutput[] = [];
  let doneBefore = 0;
  let writtenBefore = 0;
  let bytesBefore = 0;
  for (const split of plan.splits) {
    const file = outputFileName(opts.base, ext, split.name);
    const stats = new OutputStats() as OutputStats & { sha256?: string };
    const sink = opts.sink?.(split, file);
    try {
      for await (const chunk of exportBytes(database, plan, split, stats, {
        chunkSize: opts.chunkSize,
        signal: opts.signal,
        onChunk: (read, s) =>
          opts.onProgress?.({
            done: doneBefore + read,
            total,
            written: writtenBefore + s.records,
            bytes: bytesBefore + s.bytes,
            elapsedMs: Date.now() - started,
          }),
      })) {
        if (sink) await sink.write(chunk);
      }
    } finally {
      await sink?.close();
    }
    doneBefore += split.ids.length;
    writtenBefore += stats.records;
    bytesBefore += stats.bytes;
    outputs.push(manifestOutput(split, file, stats, stats.sha256 ?? "", plan.options.order !== "plain"));
  }
  const ctx = await manifestContext(database, plan.datasetId);
  return buildManifest({
    dataset: plan.dataset,
    filter: plan.filter,
    options: plan.options,
    matched: plan.matched,
    outputs,
    ...ctx,
  });
}

function fileSink(file: string) {
  const out = fs.createWriteStream(file);
  let failed: Error | null = null;
  out.on("error", (e) => {
    failed = e;
  });
  return {
    async write(b: Uint8Array) {
      if (failed) throw failed;
      if (!out.write(b)) await new Promise<void>((r) => out.once("drain", () => r()));
    },
    close: () =>
      new Promise<void>((resolve, reject) =>
        out.end((e?: Error | null) => (e || failed ? reject(e ?? failed) : resolve())),
      ),
  };
}

/**
 * Writes an export to disk: each output to `NAME.partial` first, renamed when every output is
 * complete, then the manifest to `FILE.manifest.json`. A failed export leaves no file under a
 * final name (and removes its partial files).
 */
export async function exportToFile(
  database: Database,
  plan: ExportPlan,
  file: string,
  opts: Omit<RunExportOptions, "base" | "sink"> = {},
): Promise<{ manifest: Manifest; files: string[]; manifestFile: string }> {
  const dir = path.dirname(file);
  const ext = `.${EXPORT_FORMAT_INFO[plan.options.format].extension}`;
  const name = path.basename(file);
  const base = name.endsWith(ext) ? name.slice(0, -ext.length) : name;
  const single = plan.splits.length === 1;
  // A single output goes exactly where asked; splits go to base.train.ext / base.dev.ext beside it.
  const target = (fileName: string) => path.join(dir, single ? name : fileName);
  const partials: string[] = [];
  try {
    const manifest = await runExport(database, plan, {
      ...opts,
      base,
      sink: (_split, fileName) => {
        const p = `${target(fileName)}.partial`;
        partials.push(p);
        return fileSink(p);
      },
    });
    if (single) manifest.outputs[0]!.file = name;
    const files = partials.map((p) => p.slice(0, -".partial".length));
    const manifestFile = `${file}.manifest.json`;
    fs.writeFileSync(`${manifestFile}.partial`, `${JSON.stringify(manifest, null, 2)}\n`);
    partials.push(`${manifestFile}.partial`);
    partials.forEach((p, i) => {
      fs.renameSync(p, i < files.length ? files[i]! : manifestFile);
    });
    return { manifest, files, manifestFile };
  } catch (e) {
    for (const p of partials) fs.rmSync(p, { force: true });
    throw e;
  }
}
